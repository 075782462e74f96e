//! The TypeScript shapes of what crosses the boundary, for the generated `.d.ts`: the same
//! snake_case fields as the Rust types' JSON (and the server's API). Amounts are decimal
//! strings, dates `YYYY-MM-DD`, instants milliseconds since the epoch.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES_TS: &str = r#"
/** An exact decimal amount, as a string ("22.50"). */
export type Decimal = string;
/** A calendar day, "YYYY-MM-DD". */
export type Day = string;
export interface Period { start: Day; end: Day }

export interface Grant {
  id: string; module: string;
  source: "plan" | "purchase" | "trial" | "promotion" | "admin";
  holder: "org" | { department: string } | { user: string };
  starts: Day; ends?: Day | null; quantity?: number | null; plan?: string | null;
  billing_period?: "month" | "year" | "one_time" | null; anchor?: Day | null;
  suspended?: { cause: string; module?: string; note?: string } | null;
}
export interface UsageEvent { feature: string; count?: number; at: number; limit_hit?: boolean }
/** What a session keeps between loads (from `state()`). */
export interface SessionState { grants?: Grant[]; usage?: { counters: object[] }; events?: UsageEvent[]; log?: { entries: object[] } }

export interface FundingDecision {
  source: string; name: string;
  route: "auto_approved" | "needs_approval" | "prepaid" | "purchase_order" | "card" | "trial";
  approver?: string | null; reasons: string[]; text: string;
}
export interface Explanation { reasons: { signal: string; text: string }[]; text: string }
export interface OfferPrice {
  plan: string; period: "month" | "year" | "one_time"; unit: string; quantity: Decimal;
  amount: Decimal; currency: string; requires: string[];
}
export interface Offer {
  module: string; name: string; tagline: string; description: string; kind: "buy" | "help";
  reason: Explanation; probability: number; price: OfferPrice | null;
  funding: FundingDecision | null; trial_days: number | null;
}
export interface Suggestion { module: string; kind: "buy" | "help"; probability: number; explanation: Explanation }

export interface Check {
  feature: string; allowed: boolean; reason: string; message: string;
  grant: string | null; module: string | null; unlock: string | null;
  limit: "unlimited" | { up_to: Decimal } | null; used: Decimal | null; remaining: Decimal | null;
  resets_at: Day | null; value: string | null;
}

export interface QuoteLine {
  module: string; module_name: string; plan?: string; description: string; quantity: Decimal;
  unit: string; price_source: string; list_amount: Decimal; discount_amount: Decimal;
  discounts: { id: string; description: string; percent?: Decimal; amount: Decimal }[];
  proration?: { charged: Period; billing_period: Period; days: number; period_days: number };
  net_amount: Decimal;
}
export interface Quote { lines: QuoteLine[]; total: Decimal; currency: string; date: Day; rounding: "half_up" | "half_even" }

export interface ChargeRecord {
  id: string; kind: "purchase" | "trial"; customer: string; department: string; user: string;
  module: string; plan: string; quantity: Decimal; lines: QuoteLine[]; total: Decimal;
  currency: string; period: Period; funding: FundingDecision;
  attribution: { offer?: string; surface?: string; motion: "land" | "expand"; owner: string };
  manifests: Record<"catalog" | "contract" | "policy", { version: string; digest: string }>;
  created_at: number;
}

export interface AdviceRequest {
  currency: string; date: Day; history: Record<string, Decimal>[];
  candidates: { id: string; label: string; components: object[]; covers?: Record<string, Decimal> }[];
  current?: string;
}
export interface Advice {
  options: { id: string; label: string; per_period: Decimal[]; total: Decimal; adequate: boolean }[];
  best: string | null; saving: Decimal | null; currency: string; sentence: string;
}
"#;
