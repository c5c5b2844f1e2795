// Every bound the core enforces on what a control plane or a local user may
// send, in one place. Each is named, has a default here, and is listed with
// what happens at it in docs/ARCHITECTURE.md ("Limits"). Nothing else in the
// core hard-codes such a number.

// ---------------------------------------------------------------- connection

// ---------------------------------------------------------------- protocol

// ---------------------------------------------------------------- store

// ---------------------------------------------------------------- pipeline

// ---------------------------------------------------------------- hosts
