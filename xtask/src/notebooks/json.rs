//! The JSON of a notebook: written exactly as Jupyter writes it (keys sorted, one-space indents,
//! non-ASCII characters as they are), so a generated notebook is byte for byte reproducible,
//! and read back to check an executed one.

use std::fmt::Write;

use anyhow::{Context, Result, bail};

/// A JSON value. Objects keep their keys in the order given; [`Json::write`] sorts them.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// A number, as written.
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    /// An object from `(key, value)` pairs.
    pub fn object<const N: usize>(pairs: [(&str, Json); N]) -> Json {
        Json::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    pub fn str(s: impl Into<String>) -> Json {
        Json::String(s.into())
    }

    /// The value of `key`, if this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(pairs) => pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The items of an array (none for anything else).
    pub fn items(&self) -> &[Json] {
        match self {
            Json::Array(items) => items,
            _ => &[],
        }
    }

    /// A string, or an array of strings joined (how notebooks store multi-line text).
    pub fn text(&self) -> String {
        match self {
            Json::String(s) => s.clone(),
            Json::Array(items) => items.iter().map(Json::text).collect(),
            _ => String::new(),
        }
    }

    /// The JSON text, as Python's `json.dumps(value, indent=1, sort_keys=True,
    /// ensure_ascii=False)` writes it (which is how Jupyter saves notebooks), and a newline.
    pub fn write(&self) -> String {
        let mut out = String::new();
        self.write_into(&mut out, 0);
        out.push('\n');
        out
    }

    fn write_into(&self, out: &mut String, indent: usize) {
        let pad = |out: &mut String, n: usize| {
            out.push('\n');
            out.push_str(&" ".repeat(n));
        };
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => out.push_str(n),
            Json::String(s) => write_string(out, s),
            Json::Array(items) if items.is_empty() => out.push_str("[]"),
            Json::Object(pairs) if pairs.is_empty() => out.push_str("{}"),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    pad(out, indent + 1);
                    item.write_into(out, indent + 1);
                }
                pad(out, indent);
                out.push(']');
            }
            Json::Object(pairs) => {
                let mut sorted: Vec<&(String, Json)> = pairs.iter().collect();
                sorted.sort_by(|a, b| a.0.cmp(&b.0));
                out.push('{');
                for (i, (key, value)) in sorted.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    pad(out, indent + 1);
                    write_string(out, key);
                    out.push_str(": ");
                    value.write_into(out, indent + 1);
                }
                pad(out, indent);
                out.push('}');
            }
        }
    }

    /// Parses JSON text.
    pub fn parse(text: &str) -> Result<Json> {
        let mut parser = Parser {
            chars: text.chars().collect(),
            at: 0,
        };
        let value = parser.value()?;
        parser.skip_space();
        if parser.at < parser.chars.len() {
            bail!(
                "unexpected text after the JSON value at character {}",
                parser.at
            );
        }
        Ok(value)
    }
}

/// A JSON string literal, escaped as Python's `json` module escapes it.
fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn skip_space(&mut self) {
        while self.chars.get(self.at).is_some_and(|c| c.is_whitespace()) {
            self.at += 1;
        }
    }

    fn expect(&mut self, word: &str) -> Result<()> {
        for expected in word.chars() {
            if self.chars.get(self.at) != Some(&expected) {
                bail!("expected {word:?} at character {}", self.at);
            }
            self.at += 1;
        }
        Ok(())
    }

    fn value(&mut self) -> Result<Json> {
        self.skip_space();
        let Some(&c) = self.chars.get(self.at) else {
            bail!("unexpected end of JSON");
        };
        Ok(match c {
            'n' => self.expect("null").map(|_| Json::Null)?,
            't' => self.expect("true").map(|_| Json::Bool(true))?,
            'f' => self.expect("false").map(|_| Json::Bool(false))?,
            '"' => Json::String(self.string()?),
            '[' => {
                self.at += 1;
                let mut items = Vec::new();
                self.skip_space();
                if self.chars.get(self.at) == Some(&']') {
                    self.at += 1;
                } else {
                    loop {
                        items.push(self.value()?);
                        self.skip_space();
                        match self.chars.get(self.at) {
                            Some(',') => self.at += 1,
                            Some(']') => {
                                self.at += 1;
                                break;
                            }
                            _ => bail!("expected , or ] at character {}", self.at),
                        }
                    }
                }
                Json::Array(items)
            }
            '{' => {
                self.at += 1;
                let mut pairs = Vec::new();
                self.skip_space();
                if self.chars.get(self.at) == Some(&'}') {
                    self.at += 1;
                } else {
                    loop {
                        self.skip_space();
                        let key = self.string()?;
                        self.skip_space();
                        self.expect(":")?;
                        pairs.push((key, self.value()?));
                        self.skip_space();
                        match self.chars.get(self.at) {
                            Some(',') => self.at += 1,
                            Some('}') => {
                                self.at += 1;
                                break;
                            }
                            _ => bail!("expected , or }} at character {}", self.at),
                        }
                    }
                }
                Json::Object(pairs)
            }
            c if c == '-' || c.is_ascii_digit() => {
                let start = self.at;
                while self
                    .chars
                    .get(self.at)
                    .is_some_and(|c| c.is_ascii_digit() || "+-.eE".contains(*c))
                {
                    self.at += 1;
                }
                Json::Number(self.chars[start..self.at].iter().collect())
            }
            other => bail!("unexpected {other:?} at character {}", self.at),
        })
    }

    fn string(&mut self) -> Result<String> {
        self.expect("\"")?;
        let mut s = String::new();
        loop {
            let c = *self
                .chars
                .get(self.at)
                .context("unterminated JSON string")?;
            self.at += 1;
            match c {
                '"' => return Ok(s),
                '\\' => {
                    let e = *self
                        .chars
                        .get(self.at)
                        .context("unterminated JSON string")?;
                    self.at += 1;
                    match e {
                        'n' => s.push('\n'),
                        'r' => s.push('\r'),
                        't' => s.push('\t'),
                        'b' => s.push('\u{8}'),
                        'f' => s.push('\u{c}'),
                        'u' => {
                            let high = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&high) {
                                self.expect("\\u")?;
                                let low = self.hex4()?;
                                0x10000 + ((high - 0xD800) << 10) + (low.wrapping_sub(0xDC00))
                            } else {
                                high
                            };
                            s.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                        }
                        other => s.push(other),
                    }
                }
                c => s.push(c),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32> {
        let digits: String = self.chars.iter().skip(self.at).take(4).collect();
        self.at += 4;
        u32::from_str_radix(&digits, 16).with_context(|| format!("bad \\u escape {digits:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_as_jupyter_does() {
        let value = Json::object([
            (
                "source",
                Json::Array(vec![Json::str("a \"b\"\n"), Json::str("η\t")]),
            ),
            ("metadata", Json::object([])),
            ("count", Json::Null),
            ("outputs", Json::Array(vec![])),
        ]);
        let text = value.write();
        assert_eq!(
            text,
            "{\n \"count\": null,\n \"metadata\": {},\n \"outputs\": [],\n \"source\": [\n  \"a \\\"b\\\"\\n\",\n  \"η\\t\"\n ]\n}\n"
        );
        let mut sorted = value.clone();
        if let Json::Object(pairs) = &mut sorted {
            pairs.sort_by(|a, b| a.0.cmp(&b.0));
        }
        assert_eq!(Json::parse(&text).unwrap(), sorted);
    }

    #[test]
    fn parses_escapes_numbers_and_nesting() {
        let value =
            Json::parse(r#"{"a": [1, -2.5e3, true, null], "b": "\u00e9\ud83e\udd80\\"}"#).unwrap();
        assert_eq!(value.get("b").unwrap().text(), "é🦀\\");
        assert_eq!(value.get("a").unwrap().items().len(), 4);
        assert!(Json::parse("[1, 2").is_err());
        assert!(Json::parse("{} x").is_err());
    }
}
