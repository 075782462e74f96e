#!/usr/bin/env bash
# Trains and evaluates `inflow` propensity on two real, public purchase data sets shipped
# inside the ISLP package on PyPI (BSD-licensed code; data sets from the ISLR book):
#   Caravan: 5,822 customers of a Dutch insurer (CoIL Challenge 2000), 85 socio-demographic
#            and product-ownership columns, Purchase = bought a caravan insurance policy.
#   OJ:      1,070 orange-juice purchases, Purchase = CH or MM (which brand was bought),
#            with prices, discounts, brand loyalty and the week of purchase.
# Usage: scripts/eval-real-data.sh [--json]
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m pip install --quiet --no-deps --target "$tmp/py" islp==0.6.0 >&2
data="$tmp/py/ISLP/data"
cargo build --quiet -p inflow-server
bin=target/debug/inflow

echo "== Caravan (insurance purchase; split by customer) =="
"$bin" train --generic --data "$data/Caravan.csv" --label Purchase --none No \
  --out "$tmp/caravan-model.json"
"$bin" eval --generic --data "$data/Caravan.csv" --label Purchase --none No \
  --split account "$@"

echo "== OJ (which brand is bought next; split by time, the last fifth of weeks held out) =="
"$bin" train --generic --data "$data/OJ.csv" --label Purchase --time WeekofPurchase \
  --out "$tmp/oj-model.json"
"$bin" eval --generic --data "$data/OJ.csv" --label Purchase --time WeekofPurchase \
  --split time "$@"
