// The `express4` alias (npm:express@4) has no types of its own; the tests use it through
// the ExpressModule interface in contract-app.ts, which both majors satisfy.
declare module 'express4' {
  const express4: unknown;
  export default express4;
}
