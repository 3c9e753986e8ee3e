//! Converts the built-in catalog (`catalogs/cnil.yaml`, written for people) to JSON at build
//! time: parsing JSON at start-up is several times faster than YAML, which keeps a one-file run
//! (a pre-commit hook) fast. The YAML stays the source of truth.

fn main() {
    println!("cargo:rerun-if-changed=catalogs/cnil.yaml");
    let yaml = std::fs::read_to_string("catalogs/cnil.yaml").expect("catalogs/cnil.yaml");
    let value: serde_json::Value = serde_saphyr::from_str(&yaml)
        .unwrap_or_else(|e| panic!("catalogs/cnil.yaml is not valid YAML: {e}"));
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("cnil.json");
    std::fs::write(out, serde_json::to_string(&value).expect("JSON")).expect("write cnil.json");
}
