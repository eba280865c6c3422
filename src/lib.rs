//! Commet payments API client (generated code lands here once commet-codegen exists).
