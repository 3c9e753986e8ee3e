//! Converts the built-in catalogs (`catalogs/cnil.yaml` and `catalogs/vendors.yaml`, written for
//! people) to JSON at build time: parsing JSON at start-up is several times faster than YAML,
//! which keeps a one-file run (a pre-commit hook) fast. The YAML stays the source of truth, and
//! tests check that the two read alike.

fn main() {
    for name in ["cnil", "vendors"] {
        let from = format!("catalogs/{name}.yaml");
        println!("cargo:rerun-if-changed={from}");
        let yaml = std::fs::read_to_string(&from).unwrap_or_else(|e| panic!("{from}: {e}"));
        let value: serde_json::Value = serde_saphyr::from_str(&yaml)
            .unwrap_or_else(|e| panic!("{from} is not valid YAML: {e}"));
        let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR"))
            .join(format!("{name}.json"));
        std::fs::write(out, serde_json::to_string(&value).expect("JSON"))
            .unwrap_or_else(|e| panic!("write {name}.json: {e}"));
    }
}
