# Writes the demo scenario's manifests (manifests/*.json) from the figures in one place.
# Run from the repository root: python3 scripts/gen/manifests.py
import json
def seat(usd, eur): return {"USD": {"model": {"type": "per_unit", "unit_price": usd}}, "EUR": {"model": {"type": "per_unit", "unit_price": eur}}}
def flat(usd, eur): return {"USD": {"model": {"type": "flat", "amount": usd}}, "EUR": {"model": {"type": "flat", "amount": eur}}}
def plan(pid, period, charge, unit, prices, name="", metric=None):
    p = {"id": pid, "name": name, "period": period, "charge": charge, "unit": unit}
    if metric: p["metric"] = metric
    p["prices"] = prices
    return p
monthly_seat = lambda u, e: [plan("monthly", "month", "seats", "user", seat(u, e), "Monthly, per user")]
features = [
  {"id": "forecast.pipeline", "name": "Pipeline forecasts", "description": "Roll-up forecasts by stage, owner and period, with AI-predicted close dates.", "kind": "switch"},
  {"id": "reports.advanced", "name": "Advanced report builder", "description": "Cross-object reports, custom formulas and charts.", "kind": "switch"},
  {"id": "reports.export", "name": "Report exports", "description": "Exports of reports to CSV and Excel.", "kind": "limit", "unit": "export", "reset": "month"},
  {"id": "reports.schedule", "name": "Scheduled reports", "description": "Reports delivered by e-mail on a schedule.", "kind": "switch"},
  {"id": "territory.plan", "name": "Territory planning", "description": "Design territories and balance them by potential.", "kind": "switch"},
  {"id": "calls.insights", "name": "Conversation insights", "description": "Transcripts, talk ratios and topics of recorded calls.", "kind": "switch"},
  {"id": "calls.minutes", "name": "Analysed call minutes", "kind": "limit", "unit": "call-minute", "reset": "month"},
  {"id": "esign.envelopes", "name": "Signature envelopes", "kind": "limit", "unit": "envelope", "reset": "month", "pooled": True},
  {"id": "enrich.credits", "name": "Enrichment credits", "kind": "limit", "unit": "credit", "reset": "month", "pooled": True},
  {"id": "email.assistant", "name": "AI e-mail drafting", "description": "Drafts follow-ups from the opportunity's context.", "kind": "switch"},
  {"id": "email.templates", "name": "E-mail templates", "kind": "switch"},
  {"id": "storage.gb", "name": "Storage", "kind": "limit", "unit": "GB", "reset": "never", "pooled": True},
  {"id": "api.calls", "name": "API calls", "kind": "limit", "unit": "call", "reset": "month", "pooled": True},
  {"id": "sandbox.env", "name": "Sandbox environment", "kind": "switch"},
  {"id": "sandbox.retention", "name": "Sandbox data retention", "kind": "value"},
]
modules = [
  {"id": "pipeline-forecasting", "name": "Pipeline Forecasting", "tagline": "Forecast the quarter from the pipeline instead of a spreadsheet.",
   "description": "Roll-up forecasts by stage, owner and period, with predicted close dates and a weekly snapshot history.",
   "tags": ["per-seat", "forecasting"], "features": [{"feature": "forecast.pipeline"}], "plans": monthly_seat("25.00", "23.00"), "trial_days": 14},
  {"id": "advanced-reports", "name": "Advanced Reports", "tagline": "Unlimited exports and a cross-object report builder.",
   "description": "Lifts the export limit from 50 a month to unlimited and adds formulas, charts and cross-object reports.",
   "tags": ["per-seat", "personal-productivity", "reporting"], "features": [{"feature": "reports.advanced"}, {"feature": "reports.export", "limit": "unlimited"}], "plans": monthly_seat("12.00", "11.00")},
  {"id": "report-scheduler", "name": "Report Scheduler", "tagline": "Send any report on a schedule, no exports by hand.",
   "description": "Deliver reports by e-mail daily, weekly or monthly to a department.",
   "tags": ["department", "reporting"], "features": [{"feature": "reports.schedule"}], "requires": ["advanced-reports"],
   "plans": [plan("monthly", "month", "fixed", "department", flat("40.00", "37.00"), "Monthly, per department")]},
  {"id": "territory-planning", "name": "Territory Planning", "tagline": "Balance territories by potential, not by habit.",
   "description": "Design, compare and roll out territories for a sales team.",
   "tags": ["per-seat", "management"], "features": [{"feature": "territory.plan"}], "plans": monthly_seat("30.00", "28.00")},
  {"id": "conversation-insights", "name": "Conversation Insights", "tagline": "Transcripts and coaching signals from every recorded call.",
   "description": "Analyses recorded calls: transcripts, talk ratios, topics and next steps. Billed per analysed minute.",
   "tags": ["usage", "support"], "features": [{"feature": "calls.insights"}, {"feature": "calls.minutes", "limit": "unlimited"}],
   "plans": [plan("metered", "month", "usage", "call-minute", {
      "USD": {"model": {"type": "graduated", "tiers": [{"up_to": "1000", "unit_price": "0.05"}, {"up_to": "10000", "unit_price": "0.03"}, {"unit_price": "0.02"}]}},
      "EUR": {"model": {"type": "graduated", "tiers": [{"up_to": "1000", "unit_price": "0.045"}, {"up_to": "10000", "unit_price": "0.027"}, {"unit_price": "0.018"}]}}},
      "Per analysed minute", metric="calls.minutes")]},
  {"id": "e-signature", "name": "E-Signature", "tagline": "Send contracts for signature from the opportunity.",
   "description": "Legally binding e-signatures, sent and tracked from the record. Sold in packs of 25 envelopes.",
   "tags": ["personal-productivity", "packs"], "features": [{"feature": "esign.envelopes", "limit": {"up_to": "25"}}],
   "plans": [plan("packs", "month", "units", "envelope", {
      "USD": {"model": {"type": "package", "size": "25", "price": "20.00"}},
      "EUR": {"model": {"type": "package", "size": "25", "price": "18.50"}}}, "Packs of 25 envelopes")]},
  {"id": "data-enrichment", "name": "Data Enrichment", "tagline": "Fill in firmographics and contacts automatically.",
   "description": "Enriches accounts and contacts with firmographic data. Billed per credit, the whole volume at its tier's price.",
   "tags": ["usage", "data"], "features": [{"feature": "enrich.credits", "limit": "unlimited"}],
   "plans": [plan("metered", "month", "usage", "credit", {
      "USD": {"model": {"type": "volume", "tiers": [{"up_to": "1000", "unit_price": "0.10"}, {"up_to": "10000", "unit_price": "0.08"}, {"unit_price": "0.06"}]}},
      "EUR": {"model": {"type": "volume", "tiers": [{"up_to": "1000", "unit_price": "0.09"}, {"up_to": "10000", "unit_price": "0.075"}, {"unit_price": "0.055"}]}}},
      "Per credit, volume tiers", metric="enrich.credits")]},
  {"id": "ai-email-assistant", "name": "AI Email Assistant", "tagline": "Draft follow-ups from the deal's context in seconds.",
   "description": "Drafts follow-up e-mails from the opportunity's notes, stage and last meeting.",
   "tags": ["per-seat", "personal-productivity", "email"], "features": [{"feature": "email.assistant"}, {"feature": "email.templates"}],
   "plans": monthly_seat("18.00", "17.00"), "trial_days": 7, "excludes": ["basic-templates"]},
  {"id": "basic-templates", "name": "Basic Templates", "tagline": "Reusable e-mail templates for common replies.",
   "description": "A shared library of e-mail templates.",
   "tags": ["per-seat", "personal-productivity", "email"], "features": [{"feature": "email.templates"}],
   "plans": monthly_seat("4.00", "3.70"), "excludes": ["ai-email-assistant"]},
  {"id": "extra-storage", "name": "Extra Storage", "tagline": "More room for attachments and report snapshots.",
   "description": "Adds storage in blocks of 10 GB.",
   "tags": ["packs", "admin"], "features": [{"feature": "storage.gb", "limit": {"up_to": "10"}}],
   "plans": [plan("monthly", "month", "units", "GB", {
      "USD": {"model": {"type": "package", "size": "10", "price": "5.00"}},
      "EUR": {"model": {"type": "package", "size": "10", "price": "4.60"}}}, "Blocks of 10 GB")]},
  {"id": "api-boost", "name": "API Boost", "tagline": "Raise the API allowance for integrations.",
   "description": "The first 10,000 API calls a month are included; beyond that 1.00 per 1,000 calls.",
   "tags": ["usage", "admin"], "features": [{"feature": "api.calls", "limit": "unlimited"}],
   "plans": [plan("metered", "month", "usage", "call", {
      "USD": {"model": {"type": "graduated", "tiers": [{"up_to": "10000", "unit_price": "0"}, {"unit_price": "0.001"}]}},
      "EUR": {"model": {"type": "graduated", "tiers": [{"up_to": "10000", "unit_price": "0"}, {"unit_price": "0.00092"}]}}},
      "Per call beyond 10,000", metric="api.calls")]},
  {"id": "sandbox", "name": "Sandbox", "tagline": "A full copy of your org to test changes safely.",
   "description": "A sandbox environment refreshed on demand.",
   "tags": ["admin"], "features": [{"feature": "sandbox.env"}, {"feature": "sandbox.retention", "value": "30 days"}],
   "plans": [plan("monthly", "month", "fixed", "environment", flat("150.00", "139.00"), "Monthly"),
             plan("annual", "year", "fixed", "environment", flat("1500.00", "1390.00"), "Annual (two months free)")]},
  {"id": "sales-productivity-pack", "name": "Sales Productivity Pack", "tagline": "Forecasting and Advanced Reports together, 15 % off.",
   "description": "Pipeline Forecasting and Advanced Reports in one bundle.",
   "tags": ["bundle"], "includes": ["pipeline-forecasting", "advanced-reports"], "bundle_discount_percent": "15"},
]
catalog = {"version": "2026-11-01", "supplier": {"id": "larkspur", "name": "Larkspur Analytics"}, "rounding": "half_up",
  "currencies": ["USD", "EUR"], "features": features,
  "base": [{"feature": "reports.export", "limit": {"up_to": "50"}}, {"feature": "storage.gb", "limit": {"up_to": "10"}}, {"feature": "api.calls", "limit": {"up_to": "10000"}}],
  "modules": modules}
contract = {"version": "2026-06-01", "customer": {"id": "halvorsen", "name": "Halvorsen Manufacturing"},
  "term": {"start": "2026-01-01", "end": "2028-01-01"}, "currency": "USD",
  "entities": [{"id": "halvorsen-de", "name": "Halvorsen Fertigung GmbH", "currency": "EUR", "members": {"eq": {"attribute": "region", "value": "DE"}}}],
  "overrides": [],
  "discounts": [{"id": "per-seat-10", "description": "10 % contract discount", "off": {"percent": "10"}, "scope": {"tags": ["per-seat"]}, "starts": "2026-06-01", "ends": "2027-06-01"}],
  "funding": [
    {"type": "budget", "id": "sales-ops", "name": "Sales Ops budget", "department": "sales", "currency": "USD", "limit": "3000.00", "period": "month", "auto_approve_up_to": "150.00", "per_user_cap": "300.00", "approver": "u-salesops-admin"},
    {"type": "budget", "id": "sales-de", "name": "Vertrieb DE budget", "department": "sales", "currency": "EUR", "limit": "1200.00", "period": "month", "auto_approve_up_to": "120.00", "per_user_cap": "250.00", "approver": "u-salesops-admin"},
    {"type": "budget", "id": "marketing", "name": "Marketing budget", "department": "marketing", "currency": "USD", "limit": "1000.00", "period": "month", "auto_approve_up_to": "50.00", "approver": "u-mkt-admin"},
    {"type": "budget", "id": "it-ops", "name": "IT budget", "department": "it", "currency": "USD", "limit": "2000.00", "period": "month", "auto_approve_up_to": "200.00", "approver": "u-it-admin"},
    {"type": "prepaid", "id": "prepaid-2026", "name": "Prepaid commitment", "currency": "USD", "amount": "60000.00", "term": {"start": "2026-01-01", "end": "2027-01-01"}, "modules": ["conversation-insights", "data-enrichment", "api-boost"]},
    {"type": "purchase_order", "id": "po-sandbox", "name": "Purchase order PO-4500012345", "number": "PO-4500012345", "currency": "USD", "amount": "1800.00", "modules": ["sandbox"], "valid_until": "2027-12-31"},
    {"type": "card", "id": "card", "name": "Your card", "currency": "USD", "max_per_purchase": "100.00", "scope": {"tags": ["personal-productivity"]}}],
  "account_team": {"land_owner": "ae-114", "expand_owner": "csm-207"}}
eq = lambda a, v: {"eq": {"attribute": a, "value": v}}
reps_modules = ["pipeline-forecasting", "advanced-reports", "ai-email-assistant", "basic-templates", "e-signature", "data-enrichment", "sales-productivity-pack"]
policy = {"version": "2026-11-01.1", "customer": "halvorsen", "suggestion_cooldown_days": 14, "max_new_suggestions_per_day": 3,
  "admins": [{"user": "u-salesops-admin", "departments": ["sales"]}, {"user": "u-mkt-admin", "departments": ["marketing"]},
             {"user": "u-support-admin", "departments": ["support"]}, {"user": "u-it-admin", "departments": ["it"]}],
  "communities": [
    {"id": "sales-reps", "name": "Sales reps", "department": "sales", "members": {"all": [eq("department", "sales"), eq("role", "rep")]},
     "modules": reps_modules, "funding": ["prepaid-2026", "sales-ops", "sales-de", "card"], "trials": True},
    {"id": "sales-managers", "name": "Sales managers", "department": "sales", "members": {"all": [eq("department", "sales"), eq("role", "manager")]},
     "modules": reps_modules + ["territory-planning", "report-scheduler"], "funding": ["prepaid-2026", "sales-ops", "sales-de", "card"], "trials": True},
    {"id": "marketing", "name": "Marketing", "department": "marketing", "members": eq("department", "marketing"),
     "modules": ["advanced-reports", "data-enrichment", "ai-email-assistant"], "funding": ["prepaid-2026", "marketing"],
     "funding_by_module": {"ai-email-assistant": ["card"]}, "trials": True, "cap_per_user": "200.00"},
    {"id": "support", "name": "Support", "department": "support", "members": eq("department", "support"),
     "modules": ["conversation-insights"], "funding": ["prepaid-2026"], "trials": False},
    {"id": "admins", "name": "Admins", "department": "it", "members": {"all": [eq("department", "it"), eq("role", "admin")]},
     "modules": ["sandbox", "extra-storage", "api-boost"], "funding": ["po-sandbox", "prepaid-2026", "it-ops"], "trials": False}]}
def u(uid, name, dept, role, region="US", **extra):
    a = {"department": dept, "role": role, "region": region}; a.update(extra)
    return {"id": uid, "name": name, "attributes": a}
users = [
  u("u-rep-01", "Maya Chen", "sales", "rep", team="west", persona="hits the export limit every week"),
  u("u-rep-02", "Priya Raman", "sales", "rep", team="west", persona="sends many contracts for signature"),
  u("u-rep-03", "Tom Becker", "sales", "rep", team="east", persona="owns Advanced Reports but never opened it"),
  u("u-rep-04", "Lucia Alvarez", "sales", "rep", team="east", persona="dismissed a suggestion yesterday"),
  u("u-rep-05", "Sam Whitaker", "sales", "rep", team="central", persona="budget nearly spent"),
  u("u-rep-06", "Noah Fischer", "sales", "rep", team="central"),
  u("u-rep-07", "Ava Thompson", "sales", "rep", team="west"),
  u("u-rep-08", "Liam O'Brien", "sales", "rep", team="east"),
  u("u-rep-09", "Sofia Rossi", "sales", "rep", team="central"),
  u("u-rep-10", "Ethan Park", "sales", "rep", team="west"),
  u("u-rep-11", "Grace Kim", "sales", "rep", team="east"),
  u("u-rep-12", "Oliver Brown", "sales", "rep", team="central"),
  u("u-rep-13", "Isabella Garcia", "sales", "rep", team="west"),
  u("u-rep-14", "Lucas Martin", "sales", "rep", team="east"),
  u("u-rep-de-01", "Jonas Richter", "sales", "rep", "DE", team="dach"),
  u("u-rep-de-02", "Lena Hoffmann", "sales", "rep", "DE", team="dach"),
  u("u-mgr-01", "Daniel Okafor", "sales", "manager", team="west", persona="rebuilds forecasts by hand"),
  u("u-mgr-02", "Hannah Weber", "sales", "manager", team="east"),
  u("u-mgr-03", "Marcus Reid", "sales", "manager", team="central"),
  u("u-mgr-de-01", "Katrin Vogel", "sales", "manager", "DE", team="dach"),
  u("u-salesops-admin", "Karin Lindqvist", "sales", "ops-admin"),
  u("u-mkt-01", "Chloe Dubois", "marketing", "specialist"),
  u("u-mkt-02", "Ryan Patel", "marketing", "specialist"),
  u("u-mkt-03", "Mia Johansson", "marketing", "analyst"),
  u("u-mkt-04", "Jack Wilson", "marketing", "specialist"),
  u("u-mkt-05", "Emma Novak", "marketing", "analyst"),
  u("u-mkt-admin", "Olivia Santos", "marketing", "ops-admin"),
  u("u-sup-01", "Benjamin Lee", "support", "agent"),
  u("u-sup-02", "Zoe Martinez", "support", "agent"),
  u("u-sup-03", "Henry Clark", "support", "agent"),
  u("u-sup-04", "Amelia Wright", "support", "lead"),
  u("u-sup-05", "Leo Nakamura", "support", "agent"),
  u("u-sup-06", "Ruby Evans", "support", "agent"),
  u("u-support-admin", "Nora Haddad", "support", "ops-admin"),
  u("u-it-admin", "Victor Almeida", "it", "admin"),
  u("u-it-02", "Ingrid Solberg", "it", "admin"),
  u("u-it-03", "Felix Wagner", "it", "engineer"),
  u("u-fin-01", "Ruth Adeyemi", "finance", "controller"),
  u("u-fin-02", "Paul Svensson", "finance", "analyst"),
  u("u-ops-01", "Elena Popescu", "operations", "planner"),
]
directory = {"version": "2026-11-01", "customer": "halvorsen", "users": users}
for name, doc in [("catalog", catalog), ("contract", contract), ("policy", policy), ("users", directory)]:
    with open(f"manifests/{name}.json", "w") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False); f.write("\n")
print(len(users), "users,", len(modules), "modules")
