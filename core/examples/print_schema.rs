//! Prints the community profile JSON Schema.
fn main() {
    print!("{}", icgs::profile_schema_json());
}
