//! Just enough of Rust's syntax to take a chapter's `main.rs` apart: tokens (so that strings,
//! characters and comments never confuse the bracket counting), its `fn` items, and the
//! statements of a block.

use std::ops::Range;

/// What a [`Token`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Ident,
    /// A string literal of any kind: `"…"`, `r#"…"#`, `b"…"`.
    Str,
    /// A character or byte literal: `'a'`, `b'\n'`.
    Char,
    Lifetime,
    Number,
    Comment,
    /// One punctuation character.
    Punct,
}

/// A token: its kind and where it is in the source, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    /// The token's text in `source`.
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        &source[self.start..self.end]
    }

    fn is_punct(&self, source: &str, c: char) -> bool {
        self.kind == Kind::Punct && self.text(source).starts_with(c)
    }
}

/// The tokens of `source`, comments included, whitespace left out.
pub fn tokenize(source: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = source.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let offset = |i: usize| chars.get(i).map_or(source.len(), |&(o, _)| o);
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(c) = at(i) {
        let start = i;
        let kind = if c.is_whitespace() {
            i += 1;
            continue;
        } else if c == '/' && at(i + 1) == Some('/') {
            while at(i).is_some_and(|c| c != '\n') {
                i += 1;
            }
            Kind::Comment
        } else if c == '/' && at(i + 1) == Some('*') {
            let mut depth = 0;
            loop {
                match (at(i), at(i + 1)) {
                    (Some('/'), Some('*')) => {
                        depth += 1;
                        i += 2;
                    }
                    (Some('*'), Some('/')) => {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    }
                    (Some(_), _) => i += 1,
                    (None, _) => break,
                }
            }
            Kind::Comment
        } else if c == '"' {
            i = end_of_string(&chars, i + 1);
            Kind::Str
        } else if c == '\'' {
            if at(i + 1) == Some('\\') || at(i + 2) == Some('\'') {
                i = end_of_char(&chars, i + 1);
                Kind::Char
            } else {
                i += 1;
                while at(i).is_some_and(is_ident_char) {
                    i += 1;
                }
                Kind::Lifetime
            }
        } else if c.is_ascii_digit() {
            while at(i).is_some_and(|c| {
                is_ident_char(c) || (c == '.' && at(i + 1).is_some_and(|d| d.is_ascii_digit()))
            }) {
                i += 1;
            }
            Kind::Number
        } else if is_ident_char(c) {
            while at(i).is_some_and(is_ident_char) {
                i += 1;
            }
            let word = &source[offset(start)..offset(i)];
            match (word, at(i)) {
                ("b" | "c" | "r" | "br" | "cr", Some('"')) if !word.contains('r') => {
                    i = end_of_string(&chars, i + 1);
                    Kind::Str
                }
                ("r" | "br" | "cr", Some('"' | '#')) => {
                    i = end_of_raw_string(&chars, i);
                    Kind::Str
                }
                ("b", Some('\'')) => {
                    i = end_of_char(&chars, i + 1);
                    Kind::Char
                }
                _ => Kind::Ident,
            }
        } else {
            i += 1;
            Kind::Punct
        };
        tokens.push(Token {
            kind,
            start: offset(start),
            end: offset(i),
        });
    }
    tokens
}

fn is_ident_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// The index just past the closing quote of a string whose content starts at `i`.
fn end_of_string(chars: &[(usize, char)], mut i: usize) -> usize {
    while let Some(&(_, c)) = chars.get(i) {
        i += if c == '\\' { 2 } else { 1 };
        if c == '"' {
            break;
        }
    }
    i.min(chars.len())
}

/// The index just past the closing quote of a character whose content starts at `i`.
fn end_of_char(chars: &[(usize, char)], mut i: usize) -> usize {
    while let Some(&(_, c)) = chars.get(i) {
        i += if c == '\\' { 2 } else { 1 };
        if c == '\'' {
            break;
        }
    }
    i.min(chars.len())
}

/// The index just past a raw string whose `#…#"` starts at `i`.
fn end_of_raw_string(chars: &[(usize, char)], mut i: usize) -> usize {
    let mut hashes = 0;
    while chars.get(i).is_some_and(|&(_, c)| c == '#') {
        hashes += 1;
        i += 1;
    }
    i += 1; // the opening quote
    while i < chars.len() {
        if chars[i].1 == '"' && (1..=hashes).all(|k| chars.get(i + k).is_some_and(|p| p.1 == '#')) {
            return i + 1 + hashes;
        }
        i += 1;
    }
    chars.len()
}

/// The value of a string literal token: escapes resolved, raw strings as written.
pub fn string_value(literal: &str) -> String {
    let body = literal.trim_start_matches(['b', 'c']);
    if let Some(raw) = body.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        return raw[hashes + 1..raw.len() - 1 - hashes].to_string();
    }
    let inner = &body[1..body.len().saturating_sub(1).max(1)];
    let mut value = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            value.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => value.push('\n'),
            Some('t') => value.push('\t'),
            Some('r') => value.push('\r'),
            Some('0') => value.push('\0'),
            Some('u') => {
                let code: String = chars.by_ref().skip(1).take_while(|&c| c != '}').collect();
                if let Some(c) = u32::from_str_radix(&code, 16).ok().and_then(char::from_u32) {
                    value.push(c);
                }
            }
            Some('\n') => {
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
            }
            Some(other) => value.push(other),
            None => {}
        }
    }
    value
}

/// A `fn` item at the top level of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    pub name: String,
    /// The item from its first doc comment or attribute to its closing brace, in bytes.
    pub item: Range<usize>,
    /// Indexes into the tokens: the body's opening and closing brace.
    pub body: (usize, usize),
}

/// The index of the bracket that closes the one at `open`.
pub fn matching(source: &str, tokens: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate().skip(open) {
        if token.kind != Kind::Punct {
            continue;
        }
        match token.text(source) {
            "(" | "[" | "{" => depth += 1,
            ")" | "]" | "}" => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The `fn` items at the top level of `source`.
pub fn functions(source: &str, tokens: &[Token]) -> Vec<Function> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let token = tokens[i];
        if token.kind == Kind::Punct && matches!(token.text(source), "(" | "[" | "{") {
            i = matching(source, tokens, i).unwrap_or(tokens.len()) + 1;
            continue;
        }
        let is_fn = token.kind == Kind::Ident && token.text(source) == "fn";
        let name = tokens.get(i + 1).filter(|t| t.kind == Kind::Ident);
        if let (true, Some(name)) = (is_fn, name) {
            let mut open = i + 2;
            while open < tokens.len() && !tokens[open].is_punct(source, '{') {
                if tokens[open].is_punct(source, '(') {
                    open = matching(source, tokens, open).unwrap_or(tokens.len());
                }
                open += 1;
            }
            let Some(close) = matching(source, tokens, open) else {
                break;
            };
            found.push(Function {
                name: name.text(source).to_string(),
                item: item_start(source, tokens, i)..tokens[close].end,
                body: (open, close),
            });
            i = close + 1;
            continue;
        }
        i += 1;
    }
    found
}

/// Where the item whose `fn` keyword is token `i` starts: its doc comments, attributes and
/// qualifiers (`pub`, `const`, …) belong to it.
fn item_start(source: &str, tokens: &[Token], mut i: usize) -> usize {
    while let Some(previous) = i.checked_sub(1).map(|p| tokens[p]) {
        let text = previous.text(source);
        let belongs = match previous.kind {
            Kind::Comment => text.starts_with("///"),
            Kind::Ident => matches!(text, "pub" | "const" | "unsafe" | "async" | "extern"),
            Kind::Punct if text == "]" => {
                // An attribute `#[…]`: step back to its `#`.
                let open = (0..i - 1).rev().find(|&k| {
                    tokens[k].is_punct(source, '[')
                        && matching(source, tokens, k) == Some(i - 1)
                        && k > 0
                        && tokens[k - 1].is_punct(source, '#')
                });
                if let Some(open) = open {
                    i = open;
                }
                open.is_some()
            }
            _ => false,
        };
        if !belongs {
            break;
        }
        i -= 1;
    }
    tokens[i].start
}

/// One statement of a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Its text from the end of the statement before (so comments above it come along).
    pub text: Range<usize>,
    /// Indexes into the tokens: its first and last token.
    pub tokens: (usize, usize),
    /// Whether it is the block's final expression (no semicolon).
    pub is_tail: bool,
}

/// The statements of the block whose braces are tokens `open` and `close`.
pub fn statements(source: &str, tokens: &[Token], open: usize, close: usize) -> Vec<Statement> {
    let mut found = Vec::new();
    let mut text_start = tokens[open].end;
    let mut first: Option<usize> = None;
    let mut i = open + 1;
    while i < close {
        let token = tokens[i];
        if token.kind == Kind::Comment {
            i += 1;
            continue;
        }
        let start = *first.get_or_insert(i);
        let mut end = None;
        if token.kind == Kind::Punct {
            match token.text(source) {
                ";" => end = Some(i),
                "(" | "[" | "{" => {
                    let shut = matching(source, tokens, i)
                        .unwrap_or(close - 1)
                        .min(close - 1);
                    let block_like =
                        token.text(source) == "{" && starts_block(source, tokens[start]);
                    let next = tokens[shut + 1..close]
                        .iter()
                        .find(|t| t.kind != Kind::Comment)
                        .map(|t| t.text(source));
                    let continues = matches!(next, Some("." | "?" | ";" | "else" | "as"));
                    if block_like && !continues && next.is_some() {
                        end = Some(shut);
                    }
                    i = shut;
                }
                _ => {}
            }
        }
        if let Some(end) = end {
            found.push(Statement {
                text: text_start..tokens[end].end,
                tokens: (start, end),
                is_tail: false,
            });
            text_start = tokens[end].end;
            first = None;
        }
        i += 1;
    }
    if let Some(start) = first {
        let last = (start..close)
            .rev()
            .find(|&k| tokens[k].kind != Kind::Comment)
            .unwrap_or(start);
        found.push(Statement {
            text: text_start..tokens[last].end,
            tokens: (start, last),
            is_tail: true,
        });
    }
    found
}

/// Whether a statement that starts with `token` ends at the closing brace of its block.
fn starts_block(source: &str, token: Token) -> bool {
    matches!(
        token.text(source),
        "if" | "for" | "while" | "loop" | "match" | "unsafe" | "{"
    )
}

/// Whether tokens `range` hold a `return` of the enclosing function: one outside any
/// parentheses, brackets or closure.
pub fn returns(source: &str, tokens: &[Token], range: Range<usize>) -> bool {
    let mut i = range.start;
    while i < range.end {
        let token = tokens[i];
        match (token.kind, token.text(source)) {
            (Kind::Ident, "return") => return true,
            (Kind::Punct, "(" | "[") => i = matching(source, tokens, i).unwrap_or(range.end),
            (Kind::Punct, "|") => {
                let before = i.checked_sub(1).map(|p| tokens[p].text(source));
                if matches!(before, Some("=" | "move")) {
                    return false; // a closure: what follows is its body
                }
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// The names among `names` that tokens `range` use as plain paths: not as methods or fields
/// (after `.`), not inside another path (after `::`), not as macros (before `!`).
pub fn names_used<'a>(
    source: &str,
    tokens: &[Token],
    range: Range<usize>,
    names: &'a [String],
) -> Vec<&'a str> {
    let mut used = Vec::new();
    for i in range {
        let token = tokens[i];
        if token.kind != Kind::Ident {
            continue;
        }
        let before = i.checked_sub(1).map(|p| tokens[p].text(source));
        let after = tokens.get(i + 1).map(|t| t.text(source));
        if matches!(before, Some("." | ":")) || after == Some("!") {
            continue;
        }
        if let Some(name) = names.iter().find(|n| *n == token.text(source))
            && !used.contains(&name.as_str())
        {
            used.push(name.as_str());
        }
    }
    used
}

/// The arguments of every call of `function` (by that last path segment) in tokens `range`:
/// for each call, the indexes of the tokens between its parentheses.
pub fn calls(
    source: &str,
    tokens: &[Token],
    range: Range<usize>,
    function: &str,
) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    for i in range {
        let is_name = tokens[i].kind == Kind::Ident && tokens[i].text(source) == function;
        let is_method = i > 0 && tokens[i - 1].is_punct(source, '.');
        let opens = tokens.get(i + 1).is_some_and(|t| t.is_punct(source, '('));
        if is_name
            && !is_method
            && opens
            && let Some(close) = matching(source, tokens, i + 1)
        {
            found.push(i + 2..close);
        }
    }
    found
}

/// The string literals among tokens `range`, as values.
pub fn strings(source: &str, tokens: &[Token], range: Range<usize>) -> Vec<String> {
    tokens[range]
        .iter()
        .filter(|t| t.kind == Kind::Str)
        .map(|t| string_value(t.text(source)))
        .collect()
}

/// Splits tokens `range` at the commas outside brackets; returns each part's text, trimmed.
pub fn split_arguments<'a>(source: &'a str, tokens: &[Token], range: Range<usize>) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let Some(first) = tokens.get(range.start) else {
        return parts;
    };
    let mut start = first.start;
    let mut i = range.start;
    while i < range.end {
        let token = tokens[i];
        if token.kind == Kind::Punct {
            match token.text(source) {
                "(" | "[" | "{" => i = matching(source, tokens, i).unwrap_or(range.end),
                "," => {
                    parts.push(source[start..token.start].trim());
                    start = token.end;
                }
                _ => {}
            }
        }
        i += 1;
    }
    let end = tokens[range.end - 1].end;
    if start < end {
        parts.push(source[start..end].trim());
    }
    parts.retain(|p| !p.is_empty());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(source: &str) -> Vec<&str> {
        tokenize(source).iter().map(|t| t.text(source)).collect()
    }

    #[test]
    fn strings_chars_lifetimes_and_comments_are_single_tokens() {
        let source = r##"let s: &'static str = "a } b"; let c = '}'; // x { y
let r = r#"raw " }"#; /* a /* b */ } */ f(b'{', 1.5e3)"##;
        assert_eq!(
            texts(source),
            [
                "let",
                "s",
                ":",
                "&",
                "'static",
                "str",
                "=",
                "\"a } b\"",
                ";",
                "let",
                "c",
                "=",
                "'}'",
                ";",
                "// x { y",
                "let",
                "r",
                "=",
                "r#\"raw \" }\"#",
                ";",
                "/* a /* b */ } */",
                "f",
                "(",
                "b'{'",
                ",",
                "1.5e3",
                ")"
            ]
        );
    }

    #[test]
    fn string_values_resolve_escapes() {
        assert_eq!(string_value(r#""a\"b\n\u{3b7}""#), "a\"b\nη");
        assert_eq!(string_value(r##"r#"x"y"#"##), "x\"y");
        assert_eq!(string_value("\"one \\\n    two\""), "one two");
    }

    #[test]
    fn finds_functions_with_their_docs_and_attributes() {
        let source = "use x;\n/// Doc.\n#[allow(a)]\nfn one(a: [u8; 2]) -> Vec<u8> { vec![1] }\nstruct S { f: fn() }\nfn main() {}\n";
        let tokens = tokenize(source);
        let found = functions(source, &tokens);
        let names: Vec<&str> = found.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["one", "main"]);
        assert!(source[found[0].item.clone()].starts_with("/// Doc.\n#[allow(a)]\nfn one"));
        assert!(source[found[0].item.clone()].ends_with("vec![1] }"));
    }

    #[test]
    fn splits_a_block_into_statements_and_a_tail() {
        let source =
            "{ let a = f(x; y); // note\n for r in &a { g(r); }\n if c { 1 } else { 2 };\n h(&a) }";
        let tokens = tokenize(source);
        let close = tokens.len() - 1;
        let found = statements(source, &tokens, 0, close);
        let parts: Vec<(&str, bool)> = found
            .iter()
            .map(|s| (source[s.text.clone()].trim(), s.is_tail))
            .collect();
        assert_eq!(
            parts,
            [
                ("let a = f(x; y);", false),
                ("// note\n for r in &a { g(r); }", false),
                ("if c { 1 } else { 2 };", false),
                ("h(&a)", true)
            ]
        );
    }

    #[test]
    fn finds_returns_outside_closures() {
        let found = |source: &str| {
            let tokens = tokenize(source);
            returns(source, &tokens, 0..tokens.len())
        };
        assert!(found("if args.bench { return bench(&args); }"));
        assert!(!found("timed(\"x\", || { return 1; });"));
        assert!(!found("let f = |x| { return x; };"));
        assert!(!found("print_run(run);"));
        assert!(found("if a || b { return Ok(()); }"));
    }

    #[test]
    fn names_used_skips_methods_paths_and_macros() {
        let source = "show(x.show(), a::show, show!(), list)";
        let tokens = tokenize(source);
        let names = ["show".to_string(), "list".to_string()];
        assert_eq!(
            names_used(source, &tokens, 0..tokens.len(), &names),
            ["show", "list"]
        );
        let source = "x.show(); a::show()";
        let tokens = tokenize(source);
        assert!(names_used(source, &tokens, 0..tokens.len(), &names).is_empty());
    }

    #[test]
    fn arguments_split_at_top_level_commas() {
        let source = "ensure!(f(a, b) > 0, \"x, {}\", [1, 2].len())";
        let tokens = tokenize(source);
        let args = calls(source, &tokens, 0..tokens.len(), "ensure");
        assert!(args.is_empty(), "a macro is not a call");
        let open = 2;
        let close = matching(source, &tokens, open).unwrap();
        assert_eq!(
            split_arguments(source, &tokens, open + 1..close),
            ["f(a, b) > 0", "\"x, {}\"", "[1, 2].len()"]
        );
    }
}
