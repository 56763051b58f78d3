//! One Jupyter notebook per chapter, made from the chapter's own sources, so nothing in a
//! notebook is copied by hand and nothing drifts.
//!
//! [`notebook`] reads a chapter's page (`book/<chapter>.md`), its program
//! (`chapters/<chapter>/src/main.rs`), its manifest and the book's captured output of the
//! program, and writes a notebook for the evcxr Rust kernel:
//!
//! 1. a `:dep` cell: the chapter crate and every crate its program uses, by path for the
//!    workspace's crates and at the workspace's pinned versions for the others;
//! 2. the program's items (everything in `main.rs` but its `//!` header and `fn main`);
//! 3. a setup cell: the statements of `main` before the first experiment, with the arguments
//!    at their defaults (`Args::parse_from(["<chapter>"])`);
//! 4. the page, as Markdown cells, with one code cell for each remaining statement of `main`,
//!    placed where the page first quotes a section of output that statement prints, or a
//!    figure it draws (through the functions of `main.rs` it calls). The quoted output and the
//!    figures leave the Markdown, since the cells show them; listings are included as Rust code.
//!
//! [`check_executed`] checks a notebook that Jupyter has run: no compile error, no panic, every
//! figure shown inline, and, cell after cell, exactly the output the book shows.

mod json;
mod rust_source;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

pub use json::Json;
use rust_source::{Kind, Statement, Token};

/// The folder of the notebooks, in the workspace root.
pub const NOTEBOOK_DIR: &str = "notebooks";

/// Where a chapter's notebook lives.
pub fn notebook_path(root: &Path, chapter: &str) -> PathBuf {
    root.join(NOTEBOOK_DIR).join(format!("{chapter}.ipynb"))
}

/// What a chapter's program prints, as the book captured it (`output.txt` without its first
/// line, the command), trimmed.
pub fn book_stdout(root: &Path, chapter: &str) -> Result<String> {
    let file = crate::generated_dir(root, chapter).join("output.txt");
    let text = fs::read_to_string(&file)
        .with_context(|| format!("reading {}: run `cargo xtask outputs`", file.display()))?;
    let printed = text.split_once('\n').map_or("", |(_, rest)| rest);
    Ok(printed.trim().to_string())
}

/// The figures a chapter's program draws, as the book has them: the SVG files' names, sorted.
pub fn book_figures(root: &Path, chapter: &str) -> Result<Vec<String>> {
    let dir = crate::generated_dir(root, chapter);
    let mut names: Vec<String> = fs::read_dir(&dir)
        .with_context(|| format!("reading {}: run `cargo xtask outputs`", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".svg"))
        .collect();
    names.sort();
    Ok(names)
}

/// The notebook of `chapter`, as the JSON text to write to [`notebook_path`].
pub fn notebook(root: &Path, chapter: &str) -> Result<String> {
    make(root, chapter).map(|(json, _)| json)
}

/// What the page of `chapter` quotes (sections of output by slug, figures by file name) that
/// no statement of its program is found to print or draw. The notebook keeps the book's copy
/// of these; for a chapter of the usual shape there are none.
pub fn quotes_without_a_cell(root: &Path, chapter: &str) -> Result<Vec<String>> {
    make(root, chapter).map(|(_, orphans)| orphans)
}

/// The notebook's JSON, and the quotes no statement produces.
fn make(root: &Path, chapter: &str) -> Result<(String, Vec<String>)> {
    let chapter_dir = root.join("chapters").join(chapter);
    let main_path = chapter_dir.join("src").join("main.rs");
    let main_rs = read(&main_path)?;
    let program = Program::parse(&main_rs, chapter)
        .with_context(|| format!("taking apart {}", main_path.display()))?;
    let page_path = root.join("book").join(format!("{chapter}.md"));
    let page = read(&page_path)?;
    let titles = section_titles(&book_stdout(root, chapter)?);
    let figures = book_figures(root, chapter)?;
    let produced = program.what_each_statement_produces(&titles, &figures);

    let (title, pieces) = page_pieces(&page, root, chapter)
        .with_context(|| format!("reading {}", page_path.display()))?;

    let dependencies = dependency_cell(root, chapter, &main_rs, &program)?;
    let mut cells = vec![markdown_cell(&header(&title, chapter))];
    cells.push(code_cell(&dependencies));
    cells.push(markdown_cell(&format!(
        "The program's definitions (its `src/main.rs` without `main`), then its arguments at \
         their defaults, as `cargo run -p {chapter}` runs it. The figures are written to \
         `target/figures/{chapter}/` and shown here."
    )));
    cells.push(code_cell(&program.items));
    let setup: Vec<String> = program.setup.iter().map(|s| program.cell(s)).collect();
    cells.push(code_cell(&setup.join("\n")));

    let quotes: Vec<&Key> = pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Quote(key, _) => Some(key),
            Piece::Text(_) => None,
        })
        .collect();
    let mut orphans: Vec<String> = Vec::new();
    for key in &quotes {
        let name = match key {
            Key::Section(slug) => format!("{slug}.txt"),
            Key::Figure(name) => name.clone(),
        };
        if !produced.iter().any(|keys| keys.contains(key)) && !orphans.contains(&name) {
            orphans.push(name);
        }
    }
    let at = placements(&produced, &quotes);
    let statement_cells = |q: Option<usize>| -> Vec<Json> {
        program
            .experiments
            .iter()
            .zip(&at)
            .filter(|&(_, &a)| a == q)
            .filter_map(|(s, _)| program.experiment_cell(s))
            .map(|code| code_cell(&code))
            .collect()
    };
    cells.extend(statement_cells(None));
    let mut text = String::new();
    let mut quote = 0;
    for piece in &pieces {
        match piece {
            Piece::Text(line) => {
                text.push_str(line);
                text.push('\n');
            }
            Piece::Quote(key, book_copy) => {
                // A quote of what a later cell prints or draws stays, as the book shows it,
                // so the text around it still reads; the others are the cells' output.
                let owner = produced.iter().position(|keys| keys.contains(key));
                let later = owner.is_none_or(|j| at[j].is_some_and(|a| a > quote));
                if later {
                    text.push_str(book_copy);
                    text.push('\n');
                }
                let here = statement_cells(Some(quote));
                quote += 1;
                if !here.is_empty() {
                    cells.extend(markdown_cells(&text));
                    text.clear();
                    cells.extend(here);
                }
            }
        }
    }
    cells.extend(markdown_cells(&text));
    Ok((notebook_json(cells), orphans))
}

/// Where each experiment's cell goes, given what each produces: at the index of a quote on the
/// page (`None`: before the page). That is the first quote of what it prints or draws, after
/// where the one before it went, so the statements keep their order; a statement quoted
/// nowhere goes with the next one that is (it computes what that one shows), or, at the end,
/// with the last one that is.
fn placements(produced: &[Vec<Key>], quotes: &[&Key]) -> Vec<Option<usize>> {
    let mut placed: Vec<Option<usize>> = Vec::new();
    let mut lowest = 0;
    for keys in produced {
        let first = (lowest..quotes.len()).find(|&q| keys.contains(quotes[q]));
        if let Some(q) = first {
            lowest = q;
        }
        placed.push(first);
    }
    (0..placed.len())
        .map(|i| {
            placed[i]
                .or_else(|| placed[i..].iter().flatten().next().copied())
                .or_else(|| placed[..i].iter().flatten().last().copied())
        })
        .collect()
}

fn read(path: &Path) -> Result<String> {
    fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

/// The first Markdown cell: the chapter's title and where the notebook comes from.
fn header(title: &str, chapter: &str) -> String {
    format!(
        "# {title}\n\n\
         *This notebook is generated from the chapter's page (`book/{chapter}.md`) and program \
         (`chapters/{chapter}/src/main.rs`) by `cargo xtask notebooks`: edit those, not this \
         file. Run the cells in order. The first one compiles the chapter and the crates it \
         uses: minutes the first time, seconds after.*"
    )
}

/// The section titles of a program's output, in order: the text of each `== Title ==` line.
pub fn section_titles(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix("== ")?.strip_suffix(" =="))
        .map(str::to_string)
        .collect()
}

/// The file name stem the book gives a section's output (as `cargo xtask outputs` names it):
/// lowercase letters and digits, words joined by `-`.
///
/// ```
/// use xtask::notebooks::section_slug;
/// assert_eq!(section_slug("The learning rule on AND"), "the-learning-rule-on-and");
/// assert_eq!(section_slug("Secants of 2x² at x = 1"), "secants-of-2x-at-x-1");
/// ```
pub fn section_slug(title: &str) -> String {
    title
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Something a page quotes from the program: a section of its output or a figure.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    /// A section, by its slug.
    Section(String),
    /// A figure, by its file name.
    Figure(String),
}

/// A format string (or plain string) as a pattern: its literal pieces, between which each
/// `{…}` stands for any text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Template {
    pieces: Vec<String>,
}

impl Template {
    fn new(format: &str) -> Template {
        let mut pieces = vec![String::new()];
        let mut chars = format.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek()) {
                ('{', Some('{')) | ('}', Some('}')) => {
                    chars.next();
                    pieces.last_mut().unwrap().push(c);
                }
                ('{', _) => {
                    for c in chars.by_ref() {
                        if c == '}' {
                            break;
                        }
                    }
                    pieces.push(String::new());
                }
                _ => pieces.last_mut().unwrap().push(c),
            }
        }
        Template { pieces }
    }

    /// Whether it has no `{…}`.
    fn is_plain(&self) -> bool {
        self.pieces.len() == 1
    }

    /// How many letters its literal pieces have (a pattern with few says little).
    fn letters(&self) -> usize {
        self.pieces
            .iter()
            .flat_map(|p| p.chars())
            .filter(|c| c.is_alphabetic())
            .count()
    }

    fn matches(&self, text: &str) -> bool {
        let (first, rest) = self.pieces.split_first().expect("a template has a piece");
        let Some(mut remaining) = text.strip_prefix(first.as_str()) else {
            return false;
        };
        let Some((last, middle)) = rest.split_last() else {
            return remaining.is_empty();
        };
        for piece in middle {
            match remaining.find(piece.as_str()) {
                Some(at) => remaining = &remaining[at + piece.len()..],
                None => return false,
            }
        }
        remaining.len() >= last.len() && remaining.ends_with(last.as_str())
    }
}

/// What one function of `main.rs` prints and draws, by the literals in it.
#[derive(Debug, Default)]
struct Produces {
    sections: Vec<Template>,
    figures: Vec<Template>,
}

/// A chapter's `main.rs`, taken apart.
struct Program {
    chapter: String,
    source: String,
    tokens: Vec<Token>,
    /// The items, as the second cell shows them.
    items: String,
    /// The names of its functions, and what each calls (among them) and produces.
    functions: Vec<String>,
    calls: Vec<Vec<usize>>,
    produces: Vec<Produces>,
    setup: Vec<Statement>,
    experiments: Vec<Statement>,
    /// The indentation of the statements of `main`'s closure.
    indent: usize,
}

impl Program {
    fn parse(source: &str, chapter: &str) -> Result<Program> {
        let tokens = rust_source::tokenize(source);
        let functions = rust_source::functions(source, &tokens);
        let main = functions
            .iter()
            .find(|f| f.name == "main")
            .context("no `fn main`")?;
        let (open, close) = main.body;
        let closure = (open..close)
            .find(|&i| {
                tokens[i].is_punct_text(source, "|")
                    && tokens[i + 1].is_punct_text(source, "|")
                    && tokens[i + 2].is_punct_text(source, "{")
            })
            .context("`main` does not call `chapter_cli::run(|| { … })`")?;
        let body_open = closure + 2;
        let body_close = rust_source::matching(source, &tokens, body_open)
            .context("the closure in `main` does not close")?;
        // An early exit (`if args.bench { return bench(&args); }`) serves flags the notebook
        // does not pass: it runs the chapter with its defaults, so it leaves them out.
        let mut statements = rust_source::statements(source, &tokens, body_open, body_close);
        statements.retain(|s| !rust_source::returns(source, &tokens, s.tokens.0..s.tokens.1 + 1));

        let others: Vec<&rust_source::Function> =
            functions.iter().filter(|f| f.name != "main").collect();
        let names: Vec<String> = others.iter().map(|f| f.name.clone()).collect();
        let calls = others
            .iter()
            .map(|f| {
                rust_source::names_used(source, &tokens, f.body.0..f.body.1, &names)
                    .into_iter()
                    .map(|n| names.iter().position(|m| m == n).unwrap())
                    .collect()
            })
            .collect();
        let produces = others
            .iter()
            .map(|f| produces(source, &tokens, f.body.0..f.body.1))
            .collect();

        let uses_a_function = |s: &Statement| {
            !rust_source::names_used(source, &tokens, s.tokens.0..s.tokens.1 + 1, &names).is_empty()
        };
        let first_experiment = statements
            .iter()
            .position(|s| uses_a_function(s) || s.is_tail)
            .unwrap_or(statements.len());
        let indent = statements.first().map_or(0, |s| {
            let start = tokens[s.tokens.0].start;
            start - source[..start].rfind('\n').map_or(0, |n| n + 1)
        });
        Ok(Program {
            chapter: chapter.to_string(),
            items: items(source, &main.item),
            source: source.to_string(),
            functions: names,
            calls,
            produces,
            setup: statements[..first_experiment].to_vec(),
            experiments: statements[first_experiment..].to_vec(),
            tokens,
            indent,
        })
    }

    /// The functions a statement calls, and those they call, and so on.
    fn reached_from(&self, statement: &Statement) -> Vec<usize> {
        let range = statement.tokens.0..statement.tokens.1 + 1;
        let mut reached: Vec<usize> =
            rust_source::names_used(&self.source, &self.tokens, range, &self.functions)
                .into_iter()
                .map(|n| self.functions.iter().position(|m| m == n).unwrap())
                .collect();
        let mut i = 0;
        while i < reached.len() {
            for &callee in &self.calls[reached[i]] {
                if !reached.contains(&callee) {
                    reached.push(callee);
                }
            }
            i += 1;
        }
        reached
    }

    /// For each experiment statement, the sections (of `titles`, in the order printed) and the
    /// figures (of `figures`) it produces.
    fn what_each_statement_produces(&self, titles: &[String], figures: &[String]) -> Vec<Vec<Key>> {
        let templates: Vec<Produces> = self
            .experiments
            .iter()
            .map(|s| {
                let mut all = Produces::default();
                for f in self.reached_from(s) {
                    all.sections
                        .extend(self.produces[f].sections.iter().cloned());
                    all.figures.extend(self.produces[f].figures.iter().cloned());
                }
                // A title may be an argument: `print_race("MNIST: five optimizers", &race)`.
                let range = s.tokens.0..s.tokens.1 + 1;
                let literals = rust_source::strings(&self.source, &self.tokens, range);
                let likely = literals.iter().map(|l| Template::new(l));
                all.sections.extend(likely.filter(|t| t.letters() >= 3));
                all
            })
            .collect();
        let mut keys = vec![Vec::new(); self.experiments.len()];

        // Sections come out in the order of the statements: each goes to the first statement,
        // from the one that printed the section before, that names it, exactly if one does.
        let mut from = 0;
        for title in titles {
            let find = |exact: bool| {
                (from..templates.len()).find(|&j| {
                    templates[j]
                        .sections
                        .iter()
                        .any(|t| t.matches(title) && (t.is_plain() || !exact))
                })
            };
            if let Some(j) = find(true).or_else(|| find(false)) {
                keys[j].push(Key::Section(section_slug(title)));
                from = j;
            }
        }
        for figure in figures {
            let find = |exact: bool| {
                (0..templates.len()).find(|&j| {
                    templates[j]
                        .figures
                        .iter()
                        .any(|t| t.matches(figure) && (t.is_plain() || !exact))
                })
            };
            if let Some(j) = find(true).or_else(|| find(false)) {
                keys[j].push(Key::Figure(figure.clone()));
            }
        }
        keys
    }

    /// A statement as notebook code: not indented, with the arguments at their defaults and
    /// early returns turned into `?` (a notebook cell cannot return an `anyhow::Error`).
    fn cell(&self, statement: &Statement) -> String {
        let text = dedent(self.source[statement.text.clone()].trim(), self.indent);
        let defaults = format!("Args::parse_from([{:?}])", self.chapter);
        // evcxr cannot tell the type of `args` by itself: name it.
        let text = match text.strip_prefix("let args = Args::parse()") {
            Some(rest) => format!("let args: Args = {defaults}{rest}"),
            None => text.replace("Args::parse()", &defaults),
        };
        let text = text.replace("env!(\"CARGO_PKG_NAME\")", &format!("{:?}", self.chapter));
        early_return_as_question_mark(&text)
    }

    /// An experiment as notebook code: the final expression gets a `?;`, and a final `Ok(())`
    /// goes.
    fn experiment_cell(&self, statement: &Statement) -> Option<String> {
        let code = self.cell(statement);
        match (statement.is_tail, code.as_str()) {
            (true, "Ok(())") => None,
            (true, _) => Some(format!("{code}?;")),
            (false, _) => Some(code),
        }
    }
}

impl Token {
    fn is_punct_text(&self, source: &str, text: &str) -> bool {
        self.kind == Kind::Punct && self.text(source) == text
    }
}

/// What a function's body prints and draws: the literals of its `section(…)` and
/// `write_svg(…)` calls. When a call's argument is not a literal (`section(title)`), every
/// literal in the body that could be one stands in for it.
fn produces(source: &str, tokens: &[Token], body: std::ops::Range<usize>) -> Produces {
    let all = rust_source::strings(source, tokens, body.clone());
    let mut found = Produces::default();
    for args in rust_source::calls(source, tokens, body.clone(), "section") {
        let literals = rust_source::strings(source, tokens, args);
        if literals.is_empty() {
            let likely = all
                .iter()
                .map(|s| Template::new(s))
                .filter(|t| t.letters() >= 3);
            found.sections.extend(likely);
        } else {
            found
                .sections
                .extend(literals.iter().map(|s| Template::new(s)));
        }
    }
    for args in rust_source::calls(source, tokens, body.clone(), "write_svg") {
        let mut literals = rust_source::strings(source, tokens, args);
        literals.retain(|s| s.contains(".svg"));
        if literals.is_empty() {
            literals = all.iter().filter(|s| s.contains(".svg")).cloned().collect();
        }
        found
            .figures
            .extend(literals.iter().map(|s| Template::new(s)));
    }
    found
}

/// The items of `main.rs` for the notebook: everything but the `//!` header, `fn main` and
/// anchor comments.
fn items(source: &str, main: &std::ops::Range<usize>) -> String {
    let without_main = format!("{}{}", &source[..main.start], &source[main.end..]);
    let lines = without_main.lines().filter(|l| {
        let t = l.trim_start();
        !t.starts_with("//!") && !t.starts_with("// ANCHOR")
    });
    squeeze_blank_lines(lines)
}

/// Lines joined, without blank lines at either end or two in a row.
fn squeeze_blank_lines<'a>(lines: impl Iterator<Item = &'a str>) -> String {
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

/// `text` with up to `indent` leading spaces taken from each line but the first.
fn dedent(text: &str, indent: usize) -> String {
    let mut lines = text.lines();
    let mut out = lines.next().unwrap_or("").to_string();
    for line in lines {
        let spaces = line.len() - line.trim_start_matches(' ').len();
        out.push('\n');
        out.push_str(&line[spaces.min(indent)..]);
    }
    out
}

/// `ensure!(condition, message…);` as `if !(condition) { Err(anyhow::anyhow!(message…))?; }`
/// and `bail!(message…);` as `Err(anyhow::anyhow!(message…))?;`: the macros return an
/// `anyhow::Error`, which a notebook cell cannot, while `?` works in a cell.
fn early_return_as_question_mark(code: &str) -> String {
    let tokens = rust_source::tokenize(code);
    let words: Vec<&str> = tokens.iter().take(4).map(|t| t.text(code)).collect();
    let bang = match words.as_slice() {
        ["ensure" | "bail", "!", "(", ..] => 1,
        ["anyhow", ":", ":", _] if matches!(tokens.get(4).map(|t| t.text(code)), Some("!")) => {
            let name = words[3];
            if name != "ensure" && name != "bail" {
                return code.to_string();
            }
            4
        }
        _ => return code.to_string(),
    };
    let open = bang + 1;
    let Some(close) = rust_source::matching(code, &tokens, open) else {
        return code.to_string();
    };
    let rest_after = code[tokens[close].end..].trim();
    if rest_after != ";" {
        return code.to_string();
    }
    let one_line = |s: &str| s.lines().map(str::trim).collect::<Vec<_>>().join(" ");
    let args: Vec<String> = rust_source::split_arguments(code, &tokens, open + 1..close)
        .into_iter()
        .map(one_line)
        .collect();
    let is_ensure = tokens[bang - 1].text(code) == "ensure";
    let (condition, message) = if is_ensure {
        match args.split_first() {
            Some((c, m)) if !m.is_empty() => (Some(c.clone()), m.to_vec()),
            Some((c, _)) => (
                Some(c.clone()),
                vec![format!("{:?}", format!("condition failed: `{c}`"))],
            ),
            None => return code.to_string(),
        }
    } else {
        (None, args)
    };
    let indent = if condition.is_some() { "    " } else { "" };
    let flat = format!("{indent}Err(anyhow::anyhow!({}))?;", message.join(", "));
    let error = if flat.chars().count() <= 100 {
        flat
    } else {
        let lines: Vec<String> = message.iter().map(|m| format!("{indent}    {m}")).collect();
        format!(
            "{indent}Err(anyhow::anyhow!(\n{}\n{indent}))?;",
            lines.join(",\n")
        )
    };
    match condition {
        Some(c) => format!("if !({c}) {{\n{error}\n}}"),
        None => error,
    }
}

/// The `:dep` cell: the chapter crate, then each dependency of the chapter that its program
/// names, as the workspace pins it; paths are relative to the notebooks' folder.
fn dependency_cell(root: &Path, chapter: &str, main_rs: &str, program: &Program) -> Result<String> {
    let manifest = read(&root.join("chapters").join(chapter).join("Cargo.toml"))?;
    let workspace = read(&root.join("Cargo.toml"))?;
    let pinned = toml_entries(&workspace, "workspace.dependencies");
    let tokens = &program.tokens;
    let named = |name: &str| {
        let ident = name.replace('-', "_");
        tokens
            .iter()
            .any(|t| t.kind == Kind::Ident && t.text(main_rs) == ident)
    };
    let mut lines = vec![format!(
        ":dep {chapter} = {{ path = \"../chapters/{chapter}\" }}"
    )];
    for (key, spec) in toml_entries(&manifest, "dependencies") {
        let inherits =
            spec == "true" && key.ends_with(".workspace") || spec.contains("workspace = true");
        let name = key.trim_end_matches(".workspace").to_string();
        if !named(&name) {
            continue;
        }
        let spec = if inherits {
            let base = pinned
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, s)| s.clone())
                .with_context(|| format!("{name} is not in [workspace.dependencies]"))?;
            let base = relative_path(&base, "../");
            match extract_list(&spec, "features") {
                Some(extra) => with_features(&base, &extra),
                None => base,
            }
        } else {
            relative_path(&spec, &format!("../chapters/{chapter}/"))
        };
        lines.push(format!(":dep {name} = {spec}"));
    }
    Ok(lines.join("\n"))
}

/// The `key = value` lines of a TOML table, each on one line as this workspace writes them.
fn toml_entries(toml: &str, table: &str) -> Vec<(String, String)> {
    let header = format!("[{table}]");
    let mut inside = false;
    let mut entries = Vec::new();
    for line in toml.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line == header;
            continue;
        }
        if !inside || line.starts_with('#') {
            continue;
        }
        if let Some((key, value)) = line.split_once('=') {
            entries.push((key.trim().to_string(), value.trim().to_string()));
        }
    }
    entries
}

/// A dependency spec with `path = "…"` made relative to the notebooks by `prefix`.
fn relative_path(spec: &str, prefix: &str) -> String {
    spec.replace("path = \"", &format!("path = \"{prefix}"))
}

/// The items of the list `key = [ … ]` in an inline table, as written.
fn extract_list(spec: &str, key: &str) -> Option<Vec<String>> {
    let start = spec.find(&format!("{key} = ["))?;
    let rest = &spec[start..];
    let open = rest.find('[')? + 1;
    let close = rest.find(']')?;
    Some(
        rest[open..close]
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    )
}

/// A dependency spec with `extra` features added.
fn with_features(spec: &str, extra: &[String]) -> String {
    if let Some(mut features) = extract_list(spec, "features") {
        let before = format!("features = [{}]", features.join(", "));
        for f in extra {
            if !features.contains(f) {
                features.push(f.clone());
            }
        }
        let after = format!("features = [{}]", features.join(", "));
        let start = spec.find("features = [").unwrap_or(0);
        let end = start + spec[start..].find(']').map_or(0, |e| e + 1);
        return format!("{}{after}{}", &spec[..start], &spec[end..]).replace(&before, &after);
    }
    let features = format!("features = [{}]", extra.join(", "));
    match spec.strip_suffix('}') {
        Some(table) => format!("{}, {features} }}", table.trim_end()),
        None => format!("{{ version = {spec}, {features} }}"),
    }
}

/// A piece of a page: a line of Markdown, or a quote of the program's output or figures (with
/// the Markdown that shows the book's copy of it).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Quote(Key, String),
}

/// The page's title and the rest of it as pieces: listings included, quotes of the program
/// marked (and left out of the text), links pointed from `notebooks/` to their targets.
fn page_pieces(page: &str, root: &Path, chapter: &str) -> Result<(String, Vec<Piece>)> {
    let book = root.join("book");
    let chapters = crate::chapters(root)?;
    let output_prefix = format!("generated/{chapter}/");
    let quote_of = |line: &str| -> Option<(Key, String)> {
        let include = crate::find_includes(Path::new(""), line)
            .into_iter()
            .next()?;
        let name = include.target.strip_prefix(&output_prefix)?;
        let stem = name.strip_suffix(".txt")?;
        let is_section = !stem.contains('/') && include.selector.is_none();
        is_section.then(|| (Key::Section(stem.to_string()), include.target.clone()))
    };
    let mut title = None;
    let mut pieces = Vec::new();
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        let fence_len = trimmed.len() - trimmed.trim_start_matches(['`', '~']).len();
        if fence_len >= 3 {
            let fence = &trimmed[..fence_len];
            let info = trimmed[fence_len..].trim();
            let mut content = Vec::new();
            for inner in lines.by_ref() {
                if inner.trim() == fence {
                    break;
                }
                content.push(inner);
            }
            let quotes: Vec<Option<(Key, String)>> = content
                .iter()
                .filter(|l| !l.trim().is_empty())
                .map(|l| quote_of(l))
                .collect();
            if !quotes.is_empty() && quotes.iter().all(Option::is_some) {
                for (key, target) in quotes.into_iter().flatten() {
                    let text = read(&book.join(&target))?;
                    let copy = format!("{fence}{info}\n{}\n{fence}", text.trim_end());
                    pieces.push(Piece::Quote(key, copy));
                }
                continue;
            }
            // Timings (`generated/<chapter>/timed/`) change with every run: the notebook
            // links to the book's copy instead of holding one.
            let timed = format!("{output_prefix}timed/");
            let includes = content
                .iter()
                .flat_map(|l| crate::find_includes(Path::new(""), l));
            if let Some(target) = includes.map(|i| i.target).find(|t| t.starts_with(&timed)) {
                let name = &target[output_prefix.len()..];
                pieces.push(Piece::Text(format!(
                    "*Timings measured when the book was built: [{name}](../book/{target}).*"
                )));
                continue;
            }
            let language = info.split(',').next().unwrap_or("");
            pieces.push(Piece::Text(format!("{fence}{language}")));
            for inner in content {
                pieces.push(Piece::Text(resolve_includes(inner, &book)?));
            }
            pieces.push(Piece::Text(fence.to_string()));
            continue;
        }
        if title.is_none()
            && let Some(t) = line.strip_prefix("# ")
        {
            title = Some(t.trim().to_string());
            continue;
        }
        let (text, figures) = take_figures(line, chapter);
        if !text.trim().is_empty() || figures.is_empty() {
            let text = resolve_includes(&text, &book)?;
            pieces.push(Piece::Text(relink(&text, &chapters)));
        }
        for (alt, name) in figures {
            let copy = format!("![{alt}](../book/{output_prefix}{name})");
            pieces.push(Piece::Quote(Key::Figure(name), copy));
        }
    }
    let title = title.context("the page has no title (a line starting with `# `)")?;
    Ok((title, pieces))
}

/// A line without its images of the chapter's figures, and those images' alt texts and file
/// names.
fn take_figures(line: &str, chapter: &str) -> (String, Vec<(String, String)>) {
    let target = format!("](generated/{chapter}/");
    let mut text = String::new();
    let mut figures = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find("![") {
        let after = &rest[start..];
        let image = after.find(&target).and_then(|t| {
            let name_start = t + target.len();
            let close = after[name_start..].find(')')? + name_start;
            let name = &after[name_start..close];
            let alt = &after[2..t];
            let timed = name.starts_with("timed/"); // this run's timings: left as a link
            (name.ends_with(".svg") && !timed && !alt.contains(']')).then(|| (alt, name, close + 1))
        });
        match image {
            Some((alt, name, end)) => {
                text.push_str(&rest[..start]);
                figures.push((alt.to_string(), name.to_string()));
                rest = &after[end..];
            }
            None => {
                text.push_str(&rest[..start + 2]);
                rest = &after[2..];
            }
        }
    }
    text.push_str(rest);
    (text, figures)
}

/// A line with each `{{#include …}}` replaced by the text it includes (paths are relative to
/// the book's folder, as the pages write them).
fn resolve_includes(line: &str, book: &Path) -> Result<String> {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find("{{#") {
        let after = &rest[start..];
        let Some(end) = after.find("}}") else { break };
        let directive = &after[..end + 2];
        let Some(include) = crate::find_includes(Path::new(""), directive)
            .into_iter()
            .next()
        else {
            out.push_str(&rest[..start + directive.len()]);
            rest = &after[directive.len()..];
            continue;
        };
        let file = book.join(&include.target);
        let source = read(&file)?;
        let text = crate::included_text(&source, include.selector.as_deref())
            .with_context(|| format!("{directive}: anchor or line range not found"))?;
        out.push_str(&rest[..start]);
        out.push_str(text.trim_end_matches('\n'));
        rest = &after[directive.len()..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A line with its relative links pointed from `notebooks/`: a chapter's page becomes its
/// notebook, anything else in the book is linked where it is.
fn relink(line: &str, chapters: &[String]) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find("](") {
        out.push_str(&rest[..start + 2]);
        rest = &rest[start + 2..];
        let end = rest.find(')').unwrap_or(rest.len());
        let target = &rest[..end];
        let external = target.contains("://") || target.starts_with(['#', '/']);
        let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
        let anchor = if anchor.is_empty() {
            String::new()
        } else {
            format!("#{anchor}")
        };
        let page = file
            .strip_suffix(".md")
            .filter(|p| chapters.iter().any(|c| c == p));
        match (external || target.is_empty(), page) {
            (true, _) => out.push_str(target),
            (false, Some(chapter)) => out.push_str(&format!("{chapter}.ipynb{anchor}")),
            (false, None) => out.push_str(&format!("../book/{file}{anchor}")),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The Markdown of `text` as cells: none if it is blank.
fn markdown_cells(text: &str) -> Option<Json> {
    let text = squeeze_blank_lines(text.lines());
    (!text.is_empty()).then(|| markdown_cell(&text))
}

/// Cell text as notebooks store it: a list of lines, each but the last ending in `\n`.
fn source_lines(text: &str) -> Json {
    let lines: Vec<Json> = text.split_inclusive('\n').map(Json::str).collect();
    Json::Array(lines)
}

fn markdown_cell(text: &str) -> Json {
    Json::object([
        ("cell_type", Json::str("markdown")),
        ("metadata", Json::object([])),
        ("source", source_lines(text)),
    ])
}

fn code_cell(code: &str) -> Json {
    Json::object([
        ("cell_type", Json::str("code")),
        ("execution_count", Json::Null),
        ("metadata", Json::object([])),
        ("outputs", Json::Array(Vec::new())),
        ("source", source_lines(code)),
    ])
}

/// The notebook: the cells, each given an id by its position, for the evcxr kernel.
fn notebook_json(cells: Vec<Json>) -> String {
    let cells = cells
        .into_iter()
        .enumerate()
        .map(|(i, cell)| match cell {
            Json::Object(mut pairs) => {
                pairs.push(("id".to_string(), Json::str(format!("cell-{:03}", i + 1))));
                Json::Object(pairs)
            }
            other => other,
        })
        .collect();
    Json::object([
        ("cells", Json::Array(cells)),
        (
            "metadata",
            Json::object([
                (
                    "kernelspec",
                    Json::object([
                        ("display_name", Json::str("Rust")),
                        ("language", Json::str("rust")),
                        ("name", Json::str("rust")),
                    ]),
                ),
                (
                    "language_info",
                    Json::object([
                        ("codemirror_mode", Json::str("rust")),
                        ("file_extension", Json::str(".rs")),
                        ("mimetype", Json::str("text/rust")),
                        ("name", Json::str("Rust")),
                        ("pygment_lexer", Json::str("rust")),
                        ("version", Json::str("")),
                    ]),
                ),
            ]),
        ),
        ("nbformat", Json::Number("4".into())),
        ("nbformat_minor", Json::Number("5".into())),
    ])
    .write()
}

/// Checks a notebook that Jupyter executed (its JSON text): no cell has an error output (a
/// compile error) or printed a panic, it showed inline exactly the figures of the book
/// (`figures`: each figure's name and SVG text), and what its cells printed on stdout, in
/// order, is `expected_stdout` (compared trimmed). The error lists every problem found.
pub fn check_executed(
    executed: &str,
    expected_stdout: &str,
    figures: &[(String, String)],
) -> Result<()> {
    let notebook = Json::parse(executed).context("reading the executed notebook")?;
    let mut problems = Vec::new();
    let mut stdout = String::new();
    let mut shown: Vec<String> = Vec::new();
    for (index, cell) in notebook
        .get("cells")
        .map_or(&[][..], Json::items)
        .iter()
        .enumerate()
    {
        let source = cell.get("source").map(Json::text).unwrap_or_default();
        let first_line = source.lines().next().unwrap_or("");
        let place = format!("cell {} (`{first_line}`)", index + 1);
        for output in cell.get("outputs").map_or(&[][..], Json::items) {
            let kind = output
                .get("output_type")
                .map(Json::text)
                .unwrap_or_default();
            let text = output.get("text").map(Json::text).unwrap_or_default();
            match kind.as_str() {
                "error" => {
                    let traceback = output.get("traceback").map(|t| {
                        t.items()
                            .iter()
                            .map(|l| strip_ansi(&l.text()))
                            .collect::<Vec<_>>()
                    });
                    problems.push(format!(
                        "{place}: {}: {}\n{}",
                        output.get("ename").map(Json::text).unwrap_or_default(),
                        output.get("evalue").map(Json::text).unwrap_or_default(),
                        traceback.unwrap_or_default().join("\n")
                    ));
                }
                "stream" => {
                    if text.contains("panicked at") {
                        problems.push(format!("{place} panicked:\n{}", text.trim_end()));
                    }
                    if output.get("name").map(Json::text).as_deref() == Some("stdout") {
                        stdout.push_str(&text);
                    }
                }
                "display_data" | "execute_result" => {
                    let data = output.get("data");
                    let html = data.and_then(|d| d.get("text/html")).map(Json::text);
                    let svg = data.and_then(|d| d.get("image/svg+xml")).map(Json::text);
                    let text = html.or(svg).unwrap_or_default();
                    for piece in text.split("<svg").skip(1) {
                        let end = piece.find("</svg>").map_or(piece.len(), |e| e + 6);
                        shown.push(format!("<svg{}", &piece[..end]));
                    }
                }
                _ => {}
            }
        }
    }
    if shown.len() != figures.len() {
        problems.push(format!(
            "the notebook showed {} figures inline; the book has {}",
            shown.len(),
            figures.len()
        ));
    }
    for (name, svg) in figures {
        if !shown.iter().any(|s| s.trim() == svg.trim()) {
            problems.push(format!(
                "the notebook did not show the book's {name} (no figure it showed is the same SVG)"
            ));
        }
    }
    let printed = stdout.trim();
    if printed != expected_stdout.trim() {
        problems.push(first_difference(printed, expected_stdout.trim()));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        bail!("{}", problems.join("\n\n"))
    }
}

/// Where the notebook's output first differs from the book's.
fn first_difference(notebook: &str, book: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (notebook.lines().collect(), book.lines().collect());
    let line = (0..a.len().max(b.len()))
        .find(|&i| a.get(i) != b.get(i))
        .unwrap_or(0);
    format!(
        "the notebook prints other output than the book (book/generated/…/output.txt), \
         from line {}:\n  notebook: {:?}\n  book:     {:?}",
        line + 1,
        a.get(line).copied().unwrap_or("(nothing)"),
        b.get(line).copied().unwrap_or("(nothing)")
    )
}

/// Text without terminal colour codes.
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_formatted_titles() {
        let t = Template::new("The learning rule on {name}");
        assert!(t.matches("The learning rule on XOR"));
        assert!(!t.matches("The learning rule"));
        assert!(Template::new("{}.svg").matches("relu.svg"));
        assert!(Template::new("a {x} b {y} c").matches("a 1 b 2 c"));
        assert!(!Template::new("a {x} b {y} c").matches("a 1 c"));
        assert!(Template::new("{{literal}}").matches("{literal}"));
        assert_eq!(Template::new("{:>5} {}").letters(), 0);
    }

    #[test]
    fn ensure_and_bail_become_question_marks() {
        assert_eq!(
            early_return_as_question_mark(
                "ensure!(args.epochs > 0, \"--epochs must be at least 1\");"
            ),
            "if !(args.epochs > 0) {\n    Err(anyhow::anyhow!(\"--epochs must be at least 1\"))?;\n}"
        );
        let long = "ensure!(\n    x.is_finite() && x > 0.0,\n    \"--learning-rate must be a positive number, got {}\",\n    args.the_learning_rate\n);";
        assert_eq!(
            early_return_as_question_mark(long),
            "if !(x.is_finite() && x > 0.0) {\n    Err(anyhow::anyhow!(\n        \"--learning-rate must be a positive number, got {}\",\n        args.the_learning_rate\n    ))?;\n}"
        );
        assert_eq!(
            early_return_as_question_mark("anyhow::bail!(\"no\");"),
            "Err(anyhow::anyhow!(\"no\"))?;"
        );
        assert_eq!(early_return_as_question_mark("f(x);"), "f(x);");
    }

    #[test]
    fn a_program_splits_into_items_setup_and_experiments() {
        let source = r#"//! Header.

use x::y;

const N: usize = 3;

fn main() -> ExitCode {
    chapter_cli::run(|| {
        let args = Args::parse();
        ensure!(args.n > 0, "bad");
        let out = args.common.out_dir(env!("CARGO_PKG_NAME"))?;
        // The tables.
        tables();
        if args.bench {
            return bench(&args);
        }
        let runs = train(&args);
        report("Learning OR");
        for run in &runs {
            show(run);
        }
        draw(&out, &runs)
    })
}

/// Tables.
fn tables() {
    section("Truth tables");
}

fn train(args: &Args) -> Vec<u8> {
    for name in ["AND", "XOR"] {
        section(&format!("Learning {name}"));
    }
    helper()
}

fn helper() -> Vec<u8> { vec![] }

fn report(title: &str) { section(title); }

fn bench(args: &Args) -> Result<()> { Ok(()) }

fn show(run: &u8) {}

fn draw(out: &Path, runs: &[u8]) -> Result<()> {
    figures::write_svg(out, "runs.svg", SIZE, |a| f(a))?;
    Ok(())
}
"#;
        let program = Program::parse(source, "ch99_test").unwrap();
        assert!(
            program
                .items
                .starts_with("use x::y;\n\nconst N: usize = 3;\n\n/// Tables.\nfn tables()")
        );
        assert!(!program.items.contains("fn main"));
        let setup: Vec<String> = program.setup.iter().map(|s| program.cell(s)).collect();
        assert_eq!(
            setup,
            [
                "let args: Args = Args::parse_from([\"ch99_test\"]);",
                "if !(args.n > 0) {\n    Err(anyhow::anyhow!(\"bad\"))?;\n}",
                "let out = args.common.out_dir(\"ch99_test\")?;"
            ]
        );
        let cells: Vec<Option<String>> = program
            .experiments
            .iter()
            .map(|s| program.experiment_cell(s))
            .collect();
        assert_eq!(
            cells,
            [
                Some("// The tables.\ntables();".to_string()),
                Some("let runs = train(&args);".to_string()),
                Some("report(\"Learning OR\");".to_string()),
                Some("for run in &runs {\n    show(run);\n}".to_string()),
                Some("draw(&out, &runs)?;".to_string()),
            ]
        );
        let titles: Vec<String> = [
            "Truth tables",
            "Learning AND",
            "Learning XOR",
            "Learning OR",
        ]
        .map(String::from)
        .to_vec();
        let keys = program.what_each_statement_produces(&titles, &["runs.svg".to_string()]);
        let section = |s: &str| Key::Section(s.to_string());
        assert_eq!(
            keys,
            [
                vec![section("truth-tables")],
                vec![section("learning-and"), section("learning-xor")],
                vec![section("learning-or")],
                vec![],
                vec![Key::Figure("runs.svg".to_string())],
            ]
        );
    }

    #[test]
    fn cells_go_to_the_first_quote_in_order() {
        let key = |s: &str| Key::Section(s.to_string());
        let (a, b, c) = (key("a"), key("b"), key("c"));
        // The page quotes b, a, c, b; the program prints a, then nothing, then b and c.
        let quotes = [&b, &a, &c, &b];
        let produced = [vec![a.clone()], vec![], vec![b.clone(), c.clone()]];
        assert_eq!(
            placements(&produced, &quotes),
            [Some(1), Some(2), Some(2)],
            "b's first quote comes before a's: its cell goes to its next quote after a's"
        );
        assert_eq!(placements(&[vec![], vec![]], &quotes), [None, None]);
    }

    #[test]
    fn figures_leave_the_text_and_links_point_from_the_notebooks() {
        let (text, figures) = take_figures(
            "See ![The runs](generated/ch99_test/runs.svg) and ![x](other.svg).",
            "ch99_test",
        );
        assert_eq!(text, "See  and ![x](other.svg).");
        assert_eq!(figures, [("The runs".to_string(), "runs.svg".to_string())]);
        let chapters = ["ch01_perceptron".to_string()];
        assert_eq!(
            relink(
                "[one](ch01_perceptron.md#logic), [sol](generated/solutions.md#a), [w](https://x.org/a.md)",
                &chapters
            ),
            "[one](ch01_perceptron.ipynb#logic), [sol](../book/generated/solutions.md#a), [w](https://x.org/a.md)"
        );
    }

    #[test]
    fn features_merge_into_a_pinned_spec() {
        assert_eq!(
            with_features("\"=1.0\"", &["\"x\"".to_string()]),
            "{ version = \"=1.0\", features = [\"x\"] }"
        );
        assert_eq!(
            with_features(
                "{ version = \"=1\", features = [\"a\"] }",
                &["\"b\"".to_string()]
            ),
            "{ version = \"=1\", features = [\"a\", \"b\"] }"
        );
        assert_eq!(
            with_features("{ path = \"p\" }", &["\"b\"".to_string()]),
            "{ path = \"p\", features = [\"b\"] }"
        );
    }

    #[test]
    fn executed_notebooks_fail_on_errors_panics_and_other_output() {
        let cell = |outputs: &str| {
            format!(r#"{{"cell_type": "code", "source": ["f();"], "outputs": [{outputs}]}}"#)
        };
        let notebook = |cells: &[String]| format!(r#"{{"cells": [{}]}}"#, cells.join(","));
        let stdout =
            |t: &str| format!(r#"{{"output_type": "stream", "name": "stdout", "text": [{t:?}]}}"#);
        let figure = r#"{"output_type": "execute_result", "data": {"text/html": "<div><svg>a</svg></div>\n<div><svg>b</svg></div>"}}"#;
        let book = |names: &[&str]| -> Vec<(String, String)> {
            names
                .iter()
                .map(|n| (format!("{n}.svg"), format!("<svg>{n}</svg>\n")))
                .collect()
        };
        let good = notebook(&[cell(&stdout("\n== A ==\n1\n")), cell(figure)]);
        check_executed(&good, "== A ==\n1", &book(&["a", "b"])).unwrap();

        let error = check_executed(&good, "== A ==\n2", &book(&["a", "b"]))
            .unwrap_err()
            .to_string();
        assert!(error.contains("from line 2"), "{error}");
        let error = check_executed(&good, "== A ==\n1", &book(&["a", "c"]))
            .unwrap_err()
            .to_string();
        assert!(error.contains("did not show the book's c.svg"), "{error}");
        assert!(!error.contains("showed 2 figures"), "{error}");
        let error = check_executed(&good, "== A ==\n1", &book(&["a"]))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("showed 2 figures inline; the book has 1"),
            "{error}"
        );

        let panic = r#"{"output_type": "stream", "name": "stderr", "text": "thread panicked at src/lib.rs:1:2:\nboom\n"}"#;
        let compile = r#"{"output_type": "error", "ename": "Error", "evalue": "mismatched types", "traceback": ["\u001b[31m[E0308] Error:\u001b[0m mismatched types"]}"#;
        let bad = notebook(&[cell(panic), cell(compile), cell(figure)]);
        let error = check_executed(&bad, "", &book(&["a"]))
            .unwrap_err()
            .to_string();
        assert!(error.contains("cell 1 (`f();`) panicked"), "{error}");
        assert!(
            error.contains(
                "cell 2 (`f();`): Error: mismatched types\n[E0308] Error: mismatched types"
            ),
            "{error}"
        );
    }
}
