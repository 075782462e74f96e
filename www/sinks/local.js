// The offline sink of the demo: no server. It accepts a charge record at once and answers
// with a receipt whose grant the session adds to the user's own grants, so the module is
// entitled immediately. A purchase that needs approval is held, as a real approver would.
//
// The receipt is the contract every sink keeps:
//   { id, chargeId, status: "confirmed" | "pending_approval", at, total?, approver?, grant? }

/** The decision part of a charge record, wherever the record carries it. */
export const decisionOf = (record) => record?.funding ?? record?.decision ?? {};

/** The grant a confirmed charge gives: the purchased module, from the time of the charge. */
export function grantFor(record, at) {
  return {
    module: record.module,
    plan: record.plan ?? record.lines?.[0]?.plan,
    quantity: record.quantity ?? 1,
    source: 'purchase',
    from: at,
    chargeId: record.id,
  };
}

/** `localSink({ now })`: `now` is a clock `() => ms`, default `Date.now`. */
export function localSink({ now = () => Date.now() } = {}) {
  const delivered = new Map();
  return {
    async deliver(record) {
      // At-least-once delivery upstream: the same record twice gets the same receipt.
      if (delivered.has(record.id)) return delivered.get(record.id);
      const at = now();
      const decision = decisionOf(record);
      const held = decision.route === 'needs_approval';
      const receipt = {
        id: `rcpt-${record.id}`,
        chargeId: record.id,
        status: held ? 'pending_approval' : 'confirmed',
        at,
        total: record.total,
        ...(held ? { approver: decision.approver } : { grant: grantFor(record, at) }),
      };
      delivered.set(record.id, receipt);
      return receipt;
    },
  };
}
