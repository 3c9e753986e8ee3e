//! Generates a realistic monorepo for the benchmarks:
//!
//! ```sh
//! cargo run --release --example gen-corpus -- --manifests 10000 --other-files 200000 --seed 7 --out target/bench/corpus
//! ```
//!
//! `teams/team-NN/svc-NNNNN/` services, each with a manifest drawn from the catalog's common
//! purposes, source files under `src/`, and a `.gitignore` that hides a `node_modules/` full of
//! decoy manifests that must not be read.
//!
//! By default the corpus is rich, like the independent measure of issue 13: 1 to 6 activities a
//! manifest, every field of the format (controller, each basis's block, special categories,
//! DPIA criteria, retention with start, archive and reason, recipients, transfers, `code:`,
//! deviations), English, French and ISO spellings, French prose, one file in five with CRLF line
//! ends, and most manifests carrying some finding, mostly warnings. `--plain` gives the older
//! corpus (1 to 3 plain activities, about 10% with a finding).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// xorshift64*: small, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// (purpose, basis, extra block, retention, dpia required)
const ACTIVITIES: &[(&str, &str, &str, &str, bool)] = &[
    (
        "customer-management",
        "legitimate-interests",
        "    legitimate_interests:\n      interest: Following up the commercial relationship\n      balancing_test: https://intranet.example.com/privacy/lia\n",
        "3 years",
        false,
    ),
    (
        "customer-contract-management",
        "contract",
        "",
        "2 years",
        false,
    ),
    (
        "accounting",
        "legal-obligation",
        "    legal_obligation:\n      reference: Code de commerce, art. L123-22\n",
        "10 years",
        false,
    ),
    (
        "prospecting-electronic-b2c",
        "consent",
        "    consent:\n      collection: Unticked checkbox\n      withdrawal: Unsubscribe link in every message\n",
        "3 years",
        false,
    ),
    (
        "newsletter",
        "consent",
        "    consent:\n      collection: Signup form\n      withdrawal: Unsubscribe link\n",
        "2 years",
        false,
    ),
    (
        "security-logging",
        "legitimate-interests",
        "    legitimate_interests:\n      interest: Securing the service\n      balancing_test: https://intranet.example.com/privacy/lia-logs\n",
        "6 months",
        false,
    ),
    (
        "audience-measurement-exempt",
        "legitimate-interests",
        "    legitimate_interests:\n      interest: Audience statistics\n      balancing_test: https://intranet.example.com/privacy/lia-stats\n",
        "25 months",
        false,
    ),
    (
        "whistleblowing",
        "legal-obligation",
        "    legal_obligation:\n      reference: Loi n° 2016-1691, art. 8\n",
        "6 months",
        true,
    ),
    ("recruitment", "contract", "", "2 years", false),
    ("supplier-management", "contract", "", "5 years", false),
];

const SUBJECTS: &[&str] = &["customers", "prospects", "users", "suppliers", "visitors"];
const CATEGORIES: &[&str] = &[
    "identity",
    "contact",
    "orders",
    "invoices",
    "usage data",
    "preferences",
    "device identifiers",
];

/// `data_subjects` and `data_categories` lists, drawn at random.
fn people_and_data(rng: &mut Rng) -> (String, String) {
    let subjects = format!("[{}, {}]", rng.pick(SUBJECTS), rng.pick(SUBJECTS));
    let categories = format!(
        "[{}, {}, {}]",
        rng.pick(CATEGORIES),
        rng.pick(CATEGORIES),
        rng.pick(CATEGORIES)
    );
    (subjects, categories)
}

fn activity(rng: &mut Rng, id: &str, broken: bool) -> String {
    let (purpose, basis, block, retention, dpia) = *rng.pick(ACTIVITIES);
    let mut basis = basis.to_string();
    let mut block = block.to_string();
    let mut retention = retention.to_string();
    let mut dpia_block = format!("    dpia:\n      required: {dpia}\n");
    if dpia {
        dpia_block.push_str("      reference: https://intranet.example.com/privacy/dpia\n");
    }
    let mut retention_key = "retention";
    if broken {
        // one realistic mistake
        match rng.below(4) {
            0 => {
                basis = "vital-interests".into();
                block.clear();
            }
            1 => retention = "15 years".into(),
            2 => dpia_block.clear(),
            _ => retention_key = "retension",
        }
    }
    let (subjects, categories) = people_and_data(rng);
    let mut out = String::new();
    let _ = write!(
        out,
        "  - id: {id}\n    name: \"{purpose} for {id}\"\n    purpose: {purpose}\n    description: Generated activity for the benchmarks.\n    legal_basis: {basis}\n{block}    data_subjects: {subjects}\n    data_categories: {categories}\n{dpia_block}    {retention_key}:\n      active: {retention}\n      then: delete\n    recipients: [internal teams]\n    code: [\"src/**\"]\n"
    );
    out
}

/// One activity with every field the format has, in the spellings people use.
fn rich_activity(rng: &mut Rng, id: &str) -> String {
    let (purpose, basis, block, retention, dpia) = *rng.pick(ACTIVITIES);
    let basis = match (basis, rng.below(3)) {
        ("legitimate-interests", 1) => "\"intérêt légitime\"",
        ("legitimate-interests", 2) => "6(1)(f)",
        ("consent", 1) => "consentement",
        ("contract", 1) => "\"exécution d'un contrat\"",
        ("legal-obligation", 1) => "\"obligation légale\"",
        (b, _) => b,
    };
    let retention = match (retention, rng.below(3)) {
        ("3 years", 1) => "3 ans",
        ("3 years", 2) => "P3Y",
        ("10 years", 1) => "10 ans",
        (r, _) => r,
    };
    let (subjects, categories) = people_and_data(rng);
    let name = if rng.below(2) == 0 {
        format!("\"Traitement {id} : gestion et suivi des données\"")
    } else {
        format!("\"{purpose} for {id}\"")
    };
    let mut out = String::new();
    let _ = write!(
        out,
        "  - id: {id}\n    name: {name}\n    purpose: {purpose}\n    description: >-\n      Activité générée pour les mesures : elle décrit ce que l'équipe fait des données,\n      pourquoi, et combien de temps elle les garde.\n    controller:\n      name: Exemple SAS\n      contact: dpo@example.com\n    legal_basis: {basis}\n{block}    data_subjects: {subjects}\n    data_categories: {categories}\n"
    );
    if rng.below(8) == 0 {
        out.push_str(
            "    special_categories: [health]\n    special_category_condition: explicit-consent\n",
        );
    }
    let criteria = *rng.pick(&["[]", "[large-scale]", "[sensitive-data, large-scale]"]);
    if dpia || criteria.contains(',') {
        let _ = write!(
            out,
            "    dpia:\n      required: true\n      reference: https://intranet.example.com/privacy/dpia\n      criteria: {criteria}\n"
        );
    } else {
        let _ = write!(
            out,
            "    dpia:\n      required: false\n      criteria: {criteria}\n"
        );
    }
    let _ = write!(
        out,
        "    retention:\n      active: {retention}\n      starts: end-of-relationship\n"
    );
    if rng.below(3) == 0 {
        out.push_str(
            "      archive: 2 years\n      archive_reason: Code civil, art. 2224 (prescription)\n",
        );
    }
    out.push_str(
        "      then: delete\n    recipients: [internal teams, \"prestataire d'hébergement\"]\n",
    );
    match rng.below(4) {
        0 => out.push_str("    transfers:\n      - country: US\n        safeguard: standard-contractual-clauses\n"),
        1 => out.push_str("    transfers:\n      - country: us\n        safeguard: \"clauses contractuelles types\"\n"),
        _ => {}
    }
    out.push_str("    code: [\"src/**\"]\n");
    if rng.below(6) == 0 {
        out.push_str("    deviations:\n      - rule: RT003\n        justification: Longer retention agreed with the DPO\n        approved_by: dpo@example.com\n");
    }
    out
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[allow(
    clippy::print_stderr,
    reason = "a command-line tool reporting what it generated"
)]
fn main() {
    let mut manifests = 1000usize;
    let mut other = 100_000usize;
    let mut seed = 1u64;
    let mut out = PathBuf::from("target/bench/corpus");
    let mut rich = true;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--plain" {
            rich = false;
            continue;
        }
        let v = args.next().unwrap_or_default();
        match a.as_str() {
            "--manifests" => manifests = v.parse().expect("a number"),
            "--other-files" => other = v.parse().expect("a number"),
            "--seed" => seed = v.parse().expect("a number"),
            "--out" => out = PathBuf::from(v),
            _ => panic!(
                "usage: gen-corpus [--plain] --manifests N --other-files M --seed S --out DIR"
            ),
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    write(&out.join(".gitignore"), "node_modules/\n*.log\n");
    let per_service_files = other / manifests.max(1);
    let mut broken = 0;
    for s in 0..manifests {
        let dir = out.join(format!("teams/team-{:02}/svc-{s:05}", s % 97));
        let n = 1 + rng.below(if rich { 6 } else { 3 }) as usize;
        let mut text = String::from("version: 1\nactivities:\n");
        let is_broken = rng.below(10) == 0;
        broken += usize::from(is_broken);
        for k in 0..n {
            let id = format!("svc-{s:05}-{k}");
            let a = if rich && !(is_broken && k == 0) {
                rich_activity(&mut rng, &id)
            } else {
                activity(&mut rng, &id, is_broken && k == 0)
            };
            text.push_str(&a);
        }
        if rich && rng.below(5) == 0 {
            text = text.replace('\n', "\r\n");
        }
        let name = if rng.below(5) == 0 {
            "api.processing.yaml"
        } else {
            "processing.yaml"
        };
        write(&dir.join(name), &text);
        // what coverage reads: a migration, a package manifest, a Django model
        if rich && rng.below(3) == 0 {
            let mut cols = vec!["id BIGSERIAL PRIMARY KEY".to_string()];
            for _ in 0..(3 + rng.below(6)) {
                let c = *rng.pick(&[
                    "email",
                    "first_name",
                    "last_name",
                    "phone_number",
                    "iban",
                    "created_at",
                    "status",
                    "email_template_id",
                    "phone_model",
                    "total_cents",
                    "diagnosis",
                    "ip_address",
                    "notes",
                ]);
                cols.push(format!("{c} TEXT"));
            }
            write(
                &dir.join("db/migrations/001_init.sql"),
                &format!("CREATE TABLE customers (\n  {}\n);\n", cols.join(",\n  ")),
            );
        }
        if rich && rng.below(4) == 0 {
            let dep = *rng.pick(&[
                "stripe",
                "@sentry/node",
                "posthog-node",
                "express",
                "lodash",
            ]);
            write(
                &dir.join("package.json"),
                &format!("{{\"dependencies\": {{\"{dep}\": \"1.0.0\", \"react\": \"18.0.0\"}}}}\n"),
            );
        }
        if rich && rng.below(5) == 0 {
            write(
                &dir.join("app/models.py"),
                "class Customer(models.Model):\n    email = models.EmailField()\n    plan = models.CharField(max_length=20)\n",
            );
        }
        for f in 0..per_service_files.max(1) {
            let ext = *rng.pick(&["py", "ts", "rs", "go", "md", "json"]);
            write(
                &dir.join(format!("src/module_{f}.{ext}")),
                "// generated source file\n",
            );
        }
    }
    // decoys: ignored through .gitignore, never read (and broken, so that reading them shows)
    let decoys = (manifests / 20).max(1);
    for d in 0..decoys {
        write(
            &out.join(format!("node_modules/pkg-{d}/processing.yaml")),
            "version: [\n",
        );
        write(
            &out.join(format!("node_modules/pkg-{d}/index.js")),
            "module.exports = {};\n",
        );
    }
    eprintln!(
        "{}: {manifests} manifests ({broken} with a planted finding), {} other files, {decoys} ignored decoys",
        out.display(),
        per_service_files.max(1) * manifests
    );
}
