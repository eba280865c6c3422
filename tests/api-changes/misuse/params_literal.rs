// Must not compile against any client: parameters built with a literal would break when the
// API adds an optional parameter. Build them with `new` and setters.
use api::ListOrdersParams;

fn main() {
    let _params = ListOrdersParams {
        status: None,
        limit: Some(10),
        cursor: None,
    };
}
