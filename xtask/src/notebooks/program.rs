//! A chapter's `main.rs` cut into notebook cells. `syn` finds where its items and the
//! statements of `main` begin and end; the cells are the source's own lines between.
//!
//! Each statement of `main` after the setup runs one experiment: its cell holds the functions
//! only that statement reaches (the experiment and its own helpers), then the statement. The
//! items several statements use (and the `use` lines, constants and types) go in one cell at
//! the top.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::spanned::Spanned;
use syn::{Expr, Item, Stmt};

/// A chapter's program as notebook cells.
#[derive(Debug)]
pub struct Program {
    /// The items no single experiment owns.
    pub shared: String,
    /// The statements of `main` before the first experiment, as notebook code.
    pub setup: Vec<String>,
    pub experiments: Vec<Experiment>,
}

/// One statement of `main` and the functions only it reaches.
#[derive(Debug)]
pub struct Experiment {
    /// The cell: the items, then the statement.
    pub code: String,
    /// The string literals that may be titles of the sections it prints.
    pub titles: Vec<String>,
    /// The string literals that name the figures it draws (`….svg`).
    pub figures: Vec<String>,
}

/// A piece of the source: its text (lines, not indented) and the names and literals in it.
struct Code {
    text: String,
    idents: BTreeSet<String>,
    literals: Vec<String>,
    section_literals: Vec<String>,
    /// Whether a blank line comes before it in the source.
    blank_before: bool,
}

impl Code {
    fn new(lines: &[&str], indent: usize) -> Result<Code> {
        let lines = lines
            .iter()
            .filter(|l| !l.trim_start().starts_with("// ANCHOR"));
        let text = squeeze_blank_lines(lines.map(|l| {
            let spaces = l.len() - l.trim_start_matches(' ').len();
            &l[spaces.min(indent)..]
        }));
        let tokens: TokenStream = text
            .parse()
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| format!("reading the tokens of `{}`", first_line(&text)))?;
        let mut piece = Code {
            text,
            idents: BTreeSet::new(),
            literals: Vec::new(),
            section_literals: Vec::new(),
            blank_before: false,
        };
        piece.collect(tokens, false);
        Ok(piece)
    }

    /// Collects the identifiers and string literals of `tokens`; those inside the parentheses
    /// of a `section(…)` call are also section literals.
    fn collect(&mut self, tokens: TokenStream, in_section: bool) {
        let mut after_section = false;
        let mut after_hash = false;
        for tree in tokens {
            // An attribute (a doc comment among them) says nothing the program does.
            if after_hash
                && matches!(&tree, TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket)
            {
                after_hash = false;
                continue;
            }
            after_hash = matches!(&tree, TokenTree::Punct(p) if p.as_char() == '#');
            match tree {
                TokenTree::Ident(ident) => {
                    let name = ident.to_string();
                    after_section = name == "section";
                    self.idents.insert(name);
                }
                TokenTree::Literal(literal) => {
                    if let Ok(s) = syn::parse_str::<syn::LitStr>(&literal.to_string()) {
                        if in_section {
                            self.section_literals.push(s.value());
                        }
                        self.literals.push(s.value());
                    }
                    after_section = false;
                }
                TokenTree::Group(group) => {
                    self.collect(group.stream(), in_section || after_section);
                    after_section = false;
                }
                TokenTree::Punct(_) => after_section = false,
            }
        }
    }
}

/// The first line of a text, for messages.
fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

impl Program {
    /// Cuts `source` (a `main.rs` whose `main` is `chapter_cli::run(|| { … })`) into cells
    /// for the notebook of `chapter`.
    pub fn parse(source: &str, chapter: &str) -> Result<Program> {
        let file = syn::parse_file(source).context("parsing with syn")?;
        let lines: Vec<&str> = source.lines().collect();
        let mut items: Vec<(Option<String>, Code)> = Vec::new();
        let mut statements = Vec::new();
        let mut previous_end = 0;
        for item in &file.items {
            let end = item.span().end().line;
            let mut start = previous_end;
            while start < end && skipped(lines[start]) {
                start += 1;
            }
            let blank_before = lines[previous_end..start]
                .iter()
                .any(|l| l.trim().is_empty());
            previous_end = end;
            if let Item::Fn(f) = item
                && f.sig.ident == "main"
            {
                statements = main_statements(f)?;
                continue;
            }
            let mut piece = Code::new(&lines[start..end], 0)?;
            piece.blank_before = blank_before;
            let name = match item {
                Item::Fn(f) => Some(f.sig.ident.to_string()),
                _ => None,
            };
            items.push((name, piece));
        }
        let names: BTreeSet<String> = items.iter().filter_map(|(n, _)| n.clone()).collect();

        // The statements, as notebook code, with the functions each reaches.
        let mut cells = Vec::new();
        let mut previous_end = statements.first().map_or(0, |s| s.span().start().line - 1);
        for (i, statement) in statements.iter().enumerate() {
            let (start_line, end) = (statement.span().start().line, statement.span().end().line);
            let mut start = previous_end;
            while start < start_line - 1 && lines[start].trim().is_empty() {
                start += 1;
            }
            previous_end = end;
            let indent = lines[start_line - 1].len() - lines[start_line - 1].trim_start().len();
            let piece = Code::new(&lines[start..end], indent)?;
            // An early exit (`if args.bench { return bench(&args); }`) serves flags the
            // notebook does not pass: it runs the chapter with its defaults.
            if piece.idents.contains("return") {
                continue;
            }
            // The final expression (a `for` loop is an expression without `;` too).
            let tail = i + 1 == statements.len() && matches!(statement, Stmt::Expr(_, None));
            let reached = reached(&piece, &items);
            cells.push((notebook_code(&piece.text, chapter, tail), piece, reached));
        }
        let first_experiment = cells
            .iter()
            .position(|(_, piece, _)| !piece.idents.is_disjoint(&names))
            .unwrap_or(cells.len());
        // A function goes in the cell of the one experiment that reaches it. The shared cell
        // holds the other items, the functions several experiments reach, and all that those
        // reach. A function only an early exit reaches stays out.
        let experiments_reaching = |f: usize| -> Vec<usize> {
            let reaching = cells[first_experiment..].iter().enumerate();
            let reaching = reaching.filter(|(_, (_, _, reached))| reached.contains(&f));
            reaching.map(|(i, _)| i).collect()
        };
        let mut shared: BTreeSet<usize> = (0..items.len())
            .filter(|&f| items[f].0.is_none() || experiments_reaching(f).len() > 1)
            .collect();
        let mut next: Vec<usize> = shared.iter().copied().collect();
        while let Some(f) = next.pop() {
            let callees = reached(&items[f].1, &items);
            next.extend(callees.into_iter().filter(|&g| shared.insert(g)));
        }
        let owners: Vec<Option<usize>> = (0..items.len())
            .map(|f| match experiments_reaching(f)[..] {
                [i] if !shared.contains(&f) => Some(i),
                _ => None,
            })
            .collect();
        // The shared items keep the source's layout: `use` lines stay together.
        let mut shared_text = String::new();
        for piece in shared.iter().map(|&f| &items[f].1) {
            if !shared_text.is_empty() {
                shared_text.push_str(if piece.blank_before { "\n\n" } else { "\n" });
            }
            shared_text.push_str(&piece.text);
        }
        let experiments = cells[first_experiment..]
            .iter()
            .enumerate()
            .filter(|(_, (code, _, _))| code != "Ok(())")
            .map(|(i, (code, piece, reached))| {
                let own = (0..items.len()).filter(|&f| owners[f] == Some(i));
                let mut parts: Vec<&str> = own.map(|f| items[f].1.text.as_str()).collect();
                parts.push(code);
                let reached = reached.iter().map(|&f| &items[f].1);
                let mut titles = piece.literals.clone();
                let mut figures = Vec::new();
                for f in reached {
                    // `section(title)` with a title that is not a literal: any literal of
                    // the function may be the title.
                    let named = f.idents.contains("section") && f.section_literals.is_empty();
                    let candidates = if named {
                        &f.literals
                    } else {
                        &f.section_literals
                    };
                    titles.extend(candidates.iter().cloned());
                    figures.extend(f.literals.iter().filter(|l| l.contains(".svg")).cloned());
                }
                Experiment {
                    code: parts.join("\n\n"),
                    titles,
                    figures,
                }
            })
            .collect();
        Ok(Program {
            shared: shared_text,
            setup: cells[..first_experiment]
                .iter()
                .map(|(code, _, _)| code.clone())
                .collect(),
            experiments,
        })
    }
}

/// Whether a line before an item stays out of the notebook: blank, the file's `//!` header,
/// or an anchor for the book.
fn skipped(line: &str) -> bool {
    let line = line.trim();
    line.is_empty() || line.starts_with("//!") || line.starts_with("// ANCHOR")
}

/// The statements of `main`'s closure: `chapter_cli::run(|| { … })`.
fn main_statements(main: &syn::ItemFn) -> Result<Vec<Stmt>> {
    let closure = match main.block.stmts.last() {
        Some(Stmt::Expr(Expr::Call(call), None)) => call.args.first(),
        _ => None,
    };
    match closure {
        Some(Expr::Closure(closure)) => match &*closure.body {
            Expr::Block(block) => Ok(block.block.stmts.clone()),
            _ => anyhow::bail!("the closure in `main` has no block"),
        },
        _ => anyhow::bail!("`main` does not end with `chapter_cli::run(|| {{ … }})`"),
    }
}

/// The functions (as indices in `items`) that a piece calls, and those they call, and so on.
fn reached(piece: &Code, items: &[(Option<String>, Code)]) -> BTreeSet<usize> {
    let calls = |p: &Code| -> Vec<usize> {
        (0..items.len())
            .filter(|&f| items[f].0.as_ref().is_some_and(|n| p.idents.contains(n)))
            .collect()
    };
    let mut reached = BTreeSet::new();
    let mut next = calls(piece);
    while let Some(f) = next.pop() {
        if reached.insert(f) {
            next.extend(calls(&items[f].1));
        }
    }
    reached
}

/// A statement of `main` as notebook code: the arguments at their defaults, the early
/// returns of `ensure!` as `?` (a cell cannot return an `anyhow::Error`, while `?` works in
/// a cell), and the final expression as a statement.
fn notebook_code(text: &str, chapter: &str, tail: bool) -> String {
    let defaults = format!("Args::parse_from([{chapter:?}])");
    // evcxr cannot tell the type of `args` by itself: name it.
    let text = match text.strip_prefix("let args = Args::parse()") {
        Some(rest) => format!("let args: Args = {defaults}{rest}"),
        None => text.replace("Args::parse()", &defaults),
    };
    let text = text.replace("env!(\"CARGO_PKG_NAME\")", &format!("{chapter:?}"));
    let text = ensures_as_question_marks(&text);
    if tail && text != "Ok(())" {
        format!("{text}?;")
    } else {
        text
    }
}

/// Each `ensure!(…);` in `text`, however deeply nested, as [`ensure_as_question_mark`] writes
/// it.
fn ensures_as_question_marks(text: &str) -> String {
    let Ok(tokens) = text.parse::<TokenStream>() else {
        return text.to_string();
    };
    let mut found = Vec::new();
    find_ensures(tokens, text, &mut found);
    let mut out = text.to_string();
    for (start, end, column) in found.into_iter().rev() {
        let call = text[start..end].trim_end_matches(';');
        if let Some(code) = ensure_as_question_mark(&format!("{call};")) {
            let indented = code.replace('\n', &format!("\n{}", " ".repeat(column)));
            out.replace_range(start..end, &indented);
        }
    }
    out
}

/// Where each `ensure!(…)` (with its `;`) is in `text`: its byte range and its column.
fn find_ensures(tokens: TokenStream, text: &str, found: &mut Vec<(usize, usize, usize)>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        match (tree, trees.get(i + 1), trees.get(i + 2)) {
            (
                TokenTree::Ident(name),
                Some(TokenTree::Punct(bang)),
                Some(TokenTree::Group(args)),
            ) if name == "ensure" && bang.as_char() == '!' => {
                let end = match trees.get(i + 3) {
                    Some(TokenTree::Punct(p)) if p.as_char() == ';' => p.span().end(),
                    _ => args.span().end(),
                };
                let start = name.span().start();
                found.push((offset(text, start), offset(text, end), start.column));
            }
            (TokenTree::Group(group), ..) => find_ensures(group.stream(), text, found),
            _ => {}
        }
    }
}

/// The byte offset in `text` of a line and column (in characters) that proc-macro2 gives.
fn offset(text: &str, at: proc_macro2::LineColumn) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(at.line - 1)
        .map(str::len)
        .sum();
    let line = &text[line_start..];
    line_start
        + line
            .char_indices()
            .nth(at.column)
            .map_or(line.len(), |(i, _)| i)
}

/// `ensure!(condition, message…);` as `if !(condition) { Err(anyhow::anyhow!(message…))?; }`.
fn ensure_as_question_mark(text: &str) -> Option<String> {
    let Ok(Stmt::Macro(stmt)) = syn::parse_str::<Stmt>(text) else {
        return None;
    };
    if !stmt.mac.path.is_ident("ensure") {
        return None;
    }
    let parser = syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated;
    let arguments = stmt.mac.parse_body_with(parser).ok()?;
    let one_line = |e: &Expr| {
        let (start, end) = (e.span().start(), e.span().end());
        let lines: Vec<&str> = text.lines().collect();
        let mut s = String::new();
        for (i, line) in lines.iter().enumerate().take(end.line).skip(start.line - 1) {
            let from = if i == start.line - 1 { start.column } else { 0 };
            let to = if i == end.line - 1 {
                end.column
            } else {
                usize::MAX
            };
            // Columns count characters, not bytes.
            let chars: String = line.chars().take(to).skip(from).collect();
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(chars.trim());
        }
        s
    };
    let mut arguments = arguments.iter().map(one_line);
    let condition = arguments.next()?;
    let message: Vec<String> = arguments.collect();
    let error = format!("    Err(anyhow::anyhow!({}))?;", message.join(", "));
    let error = if error.chars().count() <= 100 {
        error
    } else {
        format!(
            "    Err(anyhow::anyhow!(\n        {}\n    ))?;",
            message.join(",\n        ")
        )
    };
    Some(format!("if !({condition}) {{\n{error}\n}}"))
}

/// A program's source as one file: `main.rs` with each file of experiments it declares put
/// in place of the declaration (`mod name;` for `src/name.rs`, or `mod group { pub mod name; … }`
/// for `src/group/name.rs`), without the file's `//!` header, its `use crate::*;` and the `pub`
/// of its items, and without `main.rs`'s `use` lines of those modules. A notebook is one flat
/// program.
pub fn with_modules_inlined(main_path: &Path) -> Result<String> {
    let read = |path: &Path| {
        fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
    };
    let source = read(main_path)?;
    let file = syn::parse_file(&source).context("parsing with syn")?;
    let src = main_path.parent().context("main.rs has no folder")?;
    let mut modules = BTreeSet::new();
    // The lines to replace (from, to, both 1-based and inclusive) and their replacement.
    let mut replaced: Vec<(usize, usize, String)> = Vec::new();
    for item in &file.items {
        let Item::Mod(module) = item else { continue };
        let name = module.ident.to_string();
        let files = match &module.content {
            None => vec![src.join(format!("{name}.rs"))],
            Some((_, inner)) => inner
                .iter()
                .map(|item| match item {
                    Item::Mod(m) if m.content.is_none() => {
                        Ok(src.join(&name).join(format!("{}.rs", m.ident)))
                    }
                    _ => bail!("`mod {name} {{ … }}` may only declare files of experiments"),
                })
                .collect::<Result<Vec<_>>>()?,
        };
        let mut texts = Vec::new();
        for path in &files {
            let text = read(path)?;
            let lines = text.lines().filter(|l| {
                let l = l.trim();
                !l.starts_with("//!") && l != "use crate::*;"
            });
            // `pub` lets main.rs call an experiment; in one flat program it says nothing.
            let lines = lines.map(|l| l.strip_prefix("pub ").unwrap_or(l));
            texts.push(squeeze_blank_lines(lines));
        }
        replaced.push((item_start(item), item.span().end().line, texts.join("\n\n")));
        modules.insert(name);
    }
    for item in &file.items {
        if let Item::Use(u) = item
            && let syn::UseTree::Path(path) = &u.tree
            && modules.contains(&path.ident.to_string())
        {
            replaced.push((item_start(item), item.span().end().line, String::new()));
        }
    }
    if replaced.is_empty() {
        return Ok(source);
    }
    replaced.sort();
    let lines: Vec<&str> = source.lines().collect();
    let mut out: Vec<&str> = Vec::new();
    let mut next = 1;
    for (from, to, text) in &replaced {
        out.extend(&lines[next - 1..from - 1]);
        if !text.is_empty() {
            out.push(text);
        }
        next = to + 1;
    }
    out.extend(&lines[next - 1..]);
    Ok(out.join("\n") + "\n")
}

/// The first line of an item, its doc comment and attributes included.
fn item_start(item: &Item) -> usize {
    let attrs = match item {
        Item::Mod(m) => &m.attrs,
        Item::Use(u) => &u.attrs,
        _ => return item.span().start().line,
    };
    attrs
        .iter()
        .map(|a| a.span().start().line)
        .chain([item.span().start().line])
        .min()
        .unwrap_or(1)
}

/// Lines joined, without blank lines at either end or two in a row, nor trailing spaces.
pub fn squeeze_blank_lines<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    let mut out: Vec<&str> = Vec::new();
    for line in lines {
        let line = line.trim_end();
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// Every identifier in a source file (the crates it names among them).
pub fn identifiers(source: &str) -> Result<BTreeSet<String>> {
    let lines: Vec<&str> = source.lines().collect();
    Ok(Code::new(&lines, 0)?.idents)
}

#[cfg(test)]
mod tests;
