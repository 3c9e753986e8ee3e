//! Personal-data fields in data definitions, found by file name and a small reader per kind:
//! SQL migrations, Prisma schemas, Django and SQLAlchemy models, TypeORM and Sequelize
//! entities, protobuf messages, OpenAPI and JSON Schema properties, GraphQL types. Only field
//! names are read (never values), and each name goes through the dictionary ([`super::words`]).

use super::lines;
use super::words::{Category, classify_in, is_person};
use crate::source::{Source, Span};

/// A field that holds personal data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub span: Span,
    pub category: Category,
}

/// The kind of data definition a file holds, by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Sql,
    Prisma,
    Python,
    TypeScript,
    Proto,
    GraphQl,
    Schema,
}

/// The kind of a file, from its path (`/`-separated, relative): `None` for every other file,
/// which is never read.
pub fn kind(path: &str) -> Option<Kind> {
    let (dirs, name) = path.rsplit_once('/').unwrap_or(("", path));
    kind_in(name, dirs.as_bytes(), b'/')
}

/// [`kind`] of a file named `name` in the directories `dirs` (their bytes as the system holds
/// them: only ASCII words are looked for), whose parts are separated by `/` or by `separator`
/// (the system's own, `\` on Windows).
///
/// Asked of every file the walk lists with a kind's extension: nothing is allocated for a name
/// of up to 255 bytes (the longest most systems allow).
pub fn kind_in(name: &str, dirs: &[u8], separator: u8) -> Option<Kind> {
    use memchr::memmem::find;
    // the directories are looked at only for the extensions they decide (most files stop at
    // their extension), a part at a time
    let any_dir = |is: fn(&[u8]) -> bool| {
        let mut rest = dirs;
        loop {
            let end = memchr::memchr2(b'/', separator, rest).unwrap_or(rest.len());
            if is(&rest[..end]) {
                return true;
            }
            match rest.get(end + 1..) {
                Some(next) => rest = next,
                None => return false,
            }
        }
    };
    let in_models = || any_dir(|d| matches!(d, b"models" | b"model" | b"entities" | b"entity"));
    let in_schemas = || any_dir(|d| matches!(d, b"schemas" | b"json-schemas" | b"jsonschema"));
    let mut buf = [0u8; 255];
    let long;
    let lower: &[u8] = match buf.get_mut(..name.len()) {
        Some(short) => {
            short.copy_from_slice(name.as_bytes());
            short.make_ascii_lowercase();
            short
        }
        None => {
            long = name.to_ascii_lowercase();
            long.as_bytes()
        }
    };
    let ext = memchr::memrchr(b'.', lower).map_or(&[][..], |dot| &lower[dot + 1..]);
    let has = |part: &str| find(lower, part.as_bytes()).is_some();
    Some(match ext {
        b"sql" => Kind::Sql,
        b"prisma" => Kind::Prisma,
        b"proto" => Kind::Proto,
        b"graphql" | b"graphqls" | b"gql" => Kind::GraphQl,
        b"py"
            if matches!(
                lower,
                b"models.py" | b"entities.py" | b"tables.py" | b"schema.py" | b"db.py" | b"orm.py"
            ) || lower.ends_with(b"_models.py")
                || lower.ends_with(b"_model.py")
                || (lower != b"__init__.py" && in_models()) =>
        {
            Kind::Python
        }
        b"ts" | b"js" | b"mts" | b"cts" | b"mjs" | b"cjs"
            if has(".entity.") || has(".model.") || in_models() =>
        {
            Kind::TypeScript
        }
        b"yaml" | b"yml" | b"json"
            if lower.starts_with(b"openapi")
                || lower.starts_with(b"swagger")
                || lower.ends_with(b".schema.json")
                || has(".openapi.")
                || (ext == b"json" && in_schemas()) =>
        {
            Kind::Schema
        }
        _ => return None,
    })
}

/// The personal-data fields of a file of this kind.
pub fn read(kind: Kind, source: &Source) -> Vec<Field> {
    let text = source.text.as_str();
    let names = match kind {
        Kind::Sql => sql(text),
        Kind::Prisma => prisma(text),
        Kind::Python => python(text),
        Kind::TypeScript => typescript(text),
        Kind::Proto => proto(text),
        Kind::GraphQl => graphql(text),
        Kind::Schema => schema(source),
    };
    let mut out: Vec<Field> = names
        .into_iter()
        .filter_map(
            |Named {
                 name,
                 at,
                 container,
             }| {
                let person = container.as_deref().is_some_and(is_person);
                let category = classify_in(&name, person)?;
                Some(Field {
                    span: Span::new(at, (at + name.len()).min(text.len())),
                    name,
                    category,
                })
            },
        )
        .collect();
    out.sort_by_key(|f| f.span.start);
    out.dedup_by_key(|f| f.span.start);
    out
}

/// A field name where it is written, and the table, model, message or type it belongs to.
struct Named {
    name: String,
    at: usize,
    container: Option<String>,
}

fn named(name: &str, at: usize, container: Option<&str>) -> Named {
    Named {
        name: name.to_string(),
        at,
        container: container.map(str::to_string),
    }
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The identifier at the start of `s` (after spaces), with its offset in `s`.
fn ident(s: &str) -> Option<(&str, usize)> {
    let start = s.len() - s.trim_start().len();
    let rest = &s[start..];
    let end = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
    (end > 0).then(|| (&rest[..end], start))
}

/// SQL with comments and string literals blanked out (same length, so offsets hold).
fn blank_sql(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    while i < b.len() {
        let (from, to) = if b[i..].starts_with(b"--") {
            (
                i,
                b[i..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(b.len(), |p| i + p),
            )
        } else if b[i..].starts_with(b"/*") {
            (
                i,
                b[i + 2..]
                    .windows(2)
                    .position(|w| w == b"*/")
                    .map_or(b.len(), |p| i + p + 4),
            )
        } else if b[i] == b'\'' {
            (
                i,
                b[i + 1..]
                    .iter()
                    .position(|&c| c == b'\'')
                    .map_or(b.len(), |p| i + p + 2),
            )
        } else {
            i += 1;
            continue;
        };
        for c in &mut out[from..to.min(b.len())] {
            if *c != b'\n' && c.is_ascii() {
                *c = b' ';
            }
        }
        i = to.max(i + 1);
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// A column name at the start of `item` (quoted with `"`, `` ` `` or `[]`, or bare), with its
/// offset in `item`.
fn column(item: &str) -> Option<(&str, usize)> {
    let start = item.len() - item.trim_start().len();
    let rest = &item[start..];
    let (open, close) = match rest.chars().next()? {
        '"' => ('"', '"'),
        '`' => ('`', '`'),
        '[' => ('[', ']'),
        _ => return ident(item),
    };
    let inner = &rest[open.len_utf8()..];
    let end = inner.find(close)?;
    Some((&inner[..end], start + 1))
}

const NOT_COLUMNS: &[&str] = &[
    "constraint",
    "primary",
    "foreign",
    "unique",
    "key",
    "index",
    "check",
    "exclude",
    "like",
    "fulltext",
    "spatial",
    "period",
];

/// The table named in `head` (after `CREATE TABLE` or `ALTER TABLE`): its last dotted part,
/// without quotes, after `IF [NOT] EXISTS` and `ONLY`.
fn table_name(head: &str) -> Option<String> {
    let mut rest = head.trim_start();
    for word in ["if not exists", "if exists", "only"] {
        if rest.len() >= word.len() && rest[..word.len()].eq_ignore_ascii_case(word) {
            rest = rest[word.len()..].trim_start();
        }
    }
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '(' || c == ';')
        .unwrap_or(rest.len());
    let name = rest[..end]
        .rsplit('.')
        .next()?
        .trim_matches(|c| matches!(c, '"' | '`' | '[' | ']'));
    (!name.is_empty()).then(|| name.to_string())
}

fn sql(text: &str) -> Vec<Named> {
    let clean = blank_sql(text);
    let lower = clean.to_ascii_lowercase();
    let mut out = Vec::new();
    // CREATE TABLE name ( item, item, … )
    let mut from = 0;
    while let Some(i) = lower[from..].find("create table") {
        let start = from + i;
        from = start + 12;
        let Some(open) = lower[from..].find('(').map(|p| from + p) else {
            break;
        };
        if lower[from..open].contains(';') {
            continue;
        }
        let table = table_name(&clean[from..open]);
        let mut depth = 0usize;
        let mut item_start = open + 1;
        for (j, c) in clean[open..].char_indices() {
            let at = open + j;
            match c {
                '(' => depth += 1,
                ')' | ',' if depth == 1 => {
                    let item = &clean[item_start..at];
                    if let Some((name, off)) = column(item)
                        && !NOT_COLUMNS.contains(&name.to_ascii_lowercase().as_str())
                    {
                        out.push(named(name, item_start + off, table.as_deref()));
                    }
                    item_start = at + 1;
                    if c == ')' {
                        break;
                    }
                }
                ')' => depth -= 1,
                _ => {}
            }
        }
    }
    // ALTER TABLE name ADD [COLUMN] [IF NOT EXISTS] col …
    let mut from = 0;
    while let Some(i) = lower[from..].find("alter table") {
        let start = from + i;
        let end = lower[start..].find(';').map_or(lower.len(), |p| start + p);
        from = start + 11;
        let stmt = &lower[start..end];
        let table = table_name(&clean[start + 11..end]);
        let mut k = 0;
        while let Some(p) = stmt[k..].find("add ") {
            let mut at = start + k + p + 4;
            k += p + 4;
            // a word boundary before `add`
            if k > 4 && is_ident(stmt[..k - 4].chars().last().unwrap_or(' ')) {
                continue;
            }
            for word in ["column ", "if not exists "] {
                let rest = &lower[at..end];
                let trimmed = rest.trim_start();
                if trimmed.starts_with(word) {
                    at += rest.len() - trimmed.len() + word.len();
                }
            }
            if let Some((name, off)) = column(&clean[at..end])
                && !NOT_COLUMNS.contains(&name.to_ascii_lowercase().as_str())
            {
                out.push(named(name, at + off, table.as_deref()));
            }
        }
    }
    out
}

/// Lines inside `keyword Name {` … `}` blocks: each line's first identifier, through `pick`.
fn blocks(
    text: &str,
    keywords: &[&str],
    pick: impl Fn(&str) -> Option<(String, usize)>,
) -> Vec<Named> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut inside = false;
    let mut container: Option<String> = None;
    for (at, line) in lines(text) {
        let t = line.trim_start();
        if depth == 0 {
            let mut words = t.split_whitespace();
            let first = words.next().unwrap_or("");
            if keywords.contains(&first) && t.contains('{') {
                // `type User {`, `extend type User {`
                let mut name = words.next().unwrap_or("");
                if name == "type" {
                    name = words.next().unwrap_or("");
                }
                let name = name.split(|c: char| !is_ident(c)).next().unwrap_or("");
                container = (!name.is_empty()).then(|| name.to_string());
                inside = true;
                depth = 1;
                if t.contains('}') {
                    inside = false;
                    depth = 0;
                }
            }
            continue;
        }
        if inside
            && depth == 1
            && let Some((name, off)) = pick(line)
        {
            out.push(named(&name, at + off, container.as_deref()));
        }
        depth += line.matches('{').count();
        depth = depth.saturating_sub(line.matches('}').count());
        if depth == 0 {
            inside = false;
        }
    }
    out
}

fn prisma(text: &str) -> Vec<Named> {
    blocks(text, &["model", "type"], |line| {
        let t = line.trim_start();
        if t.starts_with("@@") || t.starts_with("//") {
            return None;
        }
        ident(line).map(|(n, o)| (n.to_string(), o))
    })
}

fn proto(text: &str) -> Vec<Named> {
    blocks(text, &["message"], |line| {
        // `[repeated|optional] type name = N;`
        let code = line.split("//").next()?;
        let eq = code.find('=')?;
        let before = code[..eq].trim_end();
        let name_start = before.rfind(|c: char| !is_ident(c)).map_or(0, |i| i + 1);
        let name = &before[name_start..];
        (!name.is_empty() && !before[..name_start].trim().is_empty())
            .then(|| (name.to_string(), name_start))
    })
}

fn graphql(text: &str) -> Vec<Named> {
    blocks(text, &["type", "input", "interface", "extend"], |line| {
        let t = line.trim_start();
        if t.starts_with('#') || t.starts_with('"') {
            return None;
        }
        let (name, off) = ident(line)?;
        let rest = line[off + name.len()..].trim_start();
        (rest.starts_with(':') || rest.starts_with('(')).then(|| (name.to_string(), off))
    })
}

/// Django (`x = models.CharField(`), SQLAlchemy (`x = Column(`, `x = db.Column(`,
/// `x: Mapped[str] = mapped_column(`) and SQLModel (`x: str = Field(`) class attributes.
fn python(text: &str) -> Vec<Named> {
    let mut out = Vec::new();
    let mut class: Option<String> = None;
    for (at, line) in lines(text) {
        if !line.starts_with([' ', '\t']) {
            class = line
                .strip_prefix("class ")
                .and_then(ident)
                .map(|(n, _)| n.to_string());
            continue;
        }
        let Some((name, off)) = ident(line) else {
            continue;
        };
        let rest = line[off + name.len()..].trim_start();
        let value = if let Some(r) = rest.strip_prefix(':') {
            r.split_once('=').map(|(_, v)| v.trim_start())
        } else {
            rest.strip_prefix('=').map(str::trim_start)
        };
        let Some(value) = value else { continue };
        let field = value.starts_with("models.")
            || value.starts_with("Column(")
            || value.starts_with("db.Column(")
            || value.starts_with("sa.Column(")
            || value.starts_with("mapped_column(")
            || value.starts_with("Field(")
            || (value.contains("Field(") && value.starts_with("fields."));
        if field {
            out.push(named(name, at + off, class.as_deref()));
        }
    }
    out
}

/// TypeORM (a property after `@Column`, `@PrimaryColumn` and the like) and Sequelize
/// (`name: DataTypes.STRING`, `name: { type: DataTypes.STRING }`).
fn typescript(text: &str) -> Vec<Named> {
    let mut out = Vec::new();
    let mut decorated = false;
    let mut class: Option<String> = None;
    for (at, line) in lines(text) {
        let t = line.trim_start();
        // `export class User {`, `sequelize.define('User', {`, `Model.init(` stays with the class
        if let Some(i) = t.find("class ") {
            if let Some((n, _)) = ident(&t[i + 6..]) {
                class = Some(n.to_string());
            }
        } else if let Some(i) = t.find(".define(") {
            let rest = t[i + 8..].trim_start().trim_start_matches(['\'', '"', '`']);
            if let Some((n, _)) = ident(rest) {
                class = Some(n.to_string());
            }
        }
        if t.starts_with("@") && t.contains("Column") {
            decorated = true;
            // `@Column() email: string;` on one line
            if let Some(close) = t.find(')') {
                let rest = &t[close + 1..];
                if let Some((name, off)) = ident(rest) {
                    let base = line.len() - t.len() + close + 1;
                    out.push(named(name, at + base + off, class.as_deref()));
                    decorated = false;
                }
            }
            continue;
        }
        if decorated {
            if t.starts_with('@') || t.is_empty() {
                continue;
            }
            let t2 = t
                .trim_start_matches("public ")
                .trim_start_matches("readonly ");
            if let Some((name, off)) = ident(t2) {
                let base = line.len() - t2.len();
                out.push(named(name, at + base + off, class.as_deref()));
            }
            decorated = false;
            continue;
        }
        if let Some((name, off)) = ident(line) {
            let rest = line[off + name.len()..].trim_start();
            if let Some(value) = rest.strip_prefix(':') {
                let value = value.trim_start();
                if value.starts_with("DataTypes.")
                    || value.starts_with("Sequelize.")
                    || (value.starts_with('{')
                        && (value.contains("DataTypes.") || value.contains("Sequelize.")))
                {
                    out.push(named(name, at + off, class.as_deref()));
                }
            }
        }
    }
    out
}

/// OpenAPI and JSON Schema: the keys of every `properties` mapping, read with the YAML reader
/// (JSON is YAML), with their spans.
fn schema(source: &Source) -> Vec<Named> {
    use crate::yaml::Value;
    let Ok(root) = crate::yaml::parse(source) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // each node with the key it is under (the schema's name, for `properties`)
    let mut stack: Vec<(&crate::yaml::Node, Option<crate::yaml::Text>)> = vec![(&root, None)];
    while let Some((node, under)) = stack.pop() {
        match &node.value {
            Value::Map(entries) => {
                let title = entries.iter().find_map(|(k, v)| match &v.value {
                    Value::Str(t) if k.name == "title" => Some(t.clone()),
                    _ => None,
                });
                let container = title.or(under);
                for (key, value) in entries {
                    if key.name == "properties"
                        && let Value::Map(props) = &value.value
                    {
                        for (k, _) in props {
                            // a quoted key's span includes its quote
                            let text = &source.text[k.span.start..k.span.end];
                            let off = usize::from(text.starts_with(['"', '\'']));
                            out.push(named(&k.name, k.span.start + off, container.as_deref()));
                        }
                    }
                    stack.push((value, Some(key.name.clone())));
                }
            }
            Value::Seq(items) => stack.extend(items.iter().map(|i| (i, under.clone()))),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(path: &str, text: &str) -> Vec<(String, &'static str)> {
        let source = Source::new(path.into(), path.into(), text.into());
        read(kind(path).expect("a known kind"), &source)
            .into_iter()
            .map(|f| {
                assert_eq!(&text[f.span.start..f.span.end], f.name);
                (f.name, f.category.as_str())
            })
            .collect()
    }

    fn names(v: Vec<(String, &'static str)>) -> Vec<String> {
        v.into_iter().map(|(n, _)| n).collect()
    }

    #[test]
    fn files_are_chosen_by_name() {
        assert_eq!(kind("db/migrations/001_init.sql"), Some(Kind::Sql));
        assert_eq!(kind("app/models.py"), Some(Kind::Python));
        assert_eq!(kind("app/views.py"), None);
        assert_eq!(kind("src/user.entity.ts"), Some(Kind::TypeScript));
        assert_eq!(kind("src/index.ts"), None);
        assert_eq!(kind("api/openapi.yaml"), Some(Kind::Schema));
        assert_eq!(kind("README.md"), None);
        assert_eq!(kind("src/entity/User.ts"), Some(Kind::TypeScript));
        assert_eq!(kind("app/db.py"), Some(Kind::Python));
        assert_eq!(kind("app/user_model.py"), Some(Kind::Python));
        assert_eq!(kind("schemas/person.json"), Some(Kind::Schema));
        assert_eq!(kind("src/entity/index.test.ts"), Some(Kind::TypeScript));
        assert_eq!(kind("config/settings.json"), None);
        // a directory counts only as a whole part, wherever it is
        assert_eq!(kind("models/user.py"), Some(Kind::Python));
        assert_eq!(kind("a/models/b/user.py"), Some(Kind::Python));
        assert_eq!(kind("a/b/entities/user.ts"), Some(Kind::TypeScript));
        assert_eq!(kind("mymodels/user.py"), None);
        assert_eq!(kind("a/models2/user.py"), None);
        assert_eq!(kind("a/models/__init__.py"), None);
        assert_eq!(kind("a/models/x/../user.md"), None);
        assert_eq!(kind("src/json-schemas/person.json"), Some(Kind::Schema));
        assert_eq!(kind("src/schemas/person.yaml"), None);
        assert_eq!(kind("user.py"), None);
        // names are compared without case, however long
        assert_eq!(kind("App/Models.PY"), Some(Kind::Python));
        assert_eq!(kind("src/User.Entity.TS"), Some(Kind::TypeScript));
        assert_eq!(kind("SWAGGER.json"), Some(Kind::Schema));
        let long = format!("{}_Model.py", "x".repeat(300));
        assert_eq!(kind(&long), Some(Kind::Python));
        assert_eq!(kind(&format!("{}.py", "x".repeat(300))), None);
    }

    #[test]
    fn sql_tables_and_added_columns() {
        let sql = "-- email in a comment\nCREATE TABLE users (\n  id serial PRIMARY KEY,\n  \"email\" text NOT NULL,\n  email_template_id int,\n  phone_number varchar(20) DEFAULT 'iban',\n  CONSTRAINT u UNIQUE (email)\n);\nALTER TABLE users ADD COLUMN IF NOT EXISTS iban text;\nalter table users add nir char(15);\n";
        assert_eq!(
            names(found("m.sql", sql)),
            ["email", "phone_number", "iban", "nir"]
        );
    }

    #[test]
    fn prisma_proto_graphql() {
        let prisma = "model User {\n  id Int @id\n  email String @unique\n  phoneModel String\n  @@index([email])\n}\n";
        assert_eq!(names(found("schema.prisma", prisma)), ["email"]);
        let proto = "message Patient {\n  string first_name = 1;\n  repeated string diagnoses = 2; // health\n  int32 phone_model = 3;\n}\n";
        assert_eq!(
            found("p.proto", proto),
            [
                ("first_name".to_string(), "identity"),
                ("diagnoses".to_string(), "health")
            ]
        );
        let gql = "type User {\n  email: String!\n  friends(first: Int): [User]\n  dateOfBirth: Date\n}\n";
        assert_eq!(names(found("s.graphql", gql)), ["email", "dateOfBirth"]);
    }

    #[test]
    fn python_and_typescript_models() {
        let py = "class Customer(models.Model):\n    email = models.EmailField()\n    iban: Mapped[str] = mapped_column(String)\n    notes = 'email'\n\ndef f():\n    email = get()\n";
        assert_eq!(names(found("app/models.py", py)), ["email", "iban"]);
        let ts = "@Entity()\nexport class User {\n  @Column()\n  email: string;\n  @Column({ nullable: true }) phoneNumber?: string;\n  templateEmail: string;\n}\nconst U = sequelize.define('U', {\n  iban: DataTypes.STRING,\n  ssn: { type: DataTypes.STRING },\n});\n";
        assert_eq!(
            names(found("src/user.entity.ts", ts)),
            ["email", "phoneNumber", "iban", "ssn"]
        );
    }

    #[test]
    fn openapi_properties() {
        let yaml = "openapi: 3.0.0\ncomponents:\n  schemas:\n    User:\n      properties:\n        email: {type: string}\n        \"ip_address\": {type: string}\n        description: {type: string}\n";
        assert_eq!(names(found("openapi.yaml", yaml)), ["email", "ip_address"]);
    }
}
