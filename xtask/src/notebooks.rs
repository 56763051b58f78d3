//! One Jupyter notebook per chapter, made from the chapter's own sources, so nothing in a
//! notebook is copied by hand and nothing drifts.
//!
//! [`notebook`] reads a chapter's page (`book/<chapter>.md`), its program
//! (`chapters/<chapter>/src/main.rs`), its manifest and the book's captured output of the
//! program, and writes a notebook for the evcxr Rust kernel:
//!
//! 1. a `:dep` cell: the chapter crate and every crate its program names, by path for the
//!    workspace's crates and at the workspace's pinned versions for the others;
//! 2. the program's shared items: `use` lines, constants, types, and the functions that more
//!    than one experiment uses;
//! 3. a setup cell: the statements of `main` before the first experiment, with the arguments
//!    at their defaults (`Args::parse_from(["<chapter>"])`);
//! 4. the page, as Markdown cells, with one code cell for each further statement of `main`
//!    (an experiment): the functions only it uses, then the statement itself, so a reader
//!    changes an experiment where it runs. A cell goes where the page first quotes a section
//!    of output it prints (found by the section titles among its string literals) or a figure
//!    it draws; the quoted output and figures leave the Markdown, since the cells show them.

mod page;
mod program;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::{Value, json};

use page::{Key, Piece, page_pieces};
use program::{Program, squeeze_blank_lines};

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
    crate::svg_files(&dir).context("run `cargo xtask outputs`")
}

/// The notebook of `chapter`, as the JSON text to write to [`notebook_path`].
pub fn notebook(root: &Path, chapter: &str) -> Result<String> {
    make(root, chapter).map(|(json, _)| json)
}

/// What the page of `chapter` quotes (sections of output by slug, figures by file name) that
/// no experiment of its program is found to print or draw. The notebook keeps the book's copy
/// of these; for a chapter of the usual shape there are none.
pub fn quotes_without_a_cell(root: &Path, chapter: &str) -> Result<Vec<String>> {
    make(root, chapter).map(|(_, orphans)| orphans)
}

/// The notebook's JSON, and the quotes no experiment produces.
fn make(root: &Path, chapter: &str) -> Result<(String, Vec<String>)> {
    let main_path = root
        .join("chapters")
        .join(chapter)
        .join("src")
        .join("main.rs");
    let main_rs = program::with_modules_inlined(&main_path)?;
    let program = Program::parse(&main_rs, chapter)
        .with_context(|| format!("taking apart {}", main_path.display()))?;
    let titles = section_titles(&book_stdout(root, chapter)?);
    let produced = what_each_experiment_produces(&program, &titles, &book_figures(root, chapter)?);
    let page_path = root.join("book").join(format!("{chapter}.md"));
    let (title, pieces) = page_pieces(&read(&page_path)?, root, chapter)
        .with_context(|| format!("reading {}", page_path.display()))?;

    let mut cells = vec![
        markdown_cell(&header(&title, chapter)),
        code_cell(&dependency_cell(root, chapter, &main_rs)?),
        markdown_cell(&format!(
            "What the experiments below share (the top of the program's `src/main.rs`), then \
             its arguments at their defaults, as `cargo run -p {chapter}` runs it. Each \
             experiment's cell defines its function and runs it: change it there and run the \
             cell again. The figures are written to `target/figures/{chapter}/` and shown here."
        )),
        code_cell(&program.shared),
        code_cell(&program.setup.join("\n")),
    ];

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
    let cells_at = |q: Option<usize>| -> Vec<Value> {
        let placed = program.experiments.iter().zip(&at);
        placed
            .filter(|&(_, &a)| a == q)
            .map(|(e, _)| code_cell(&e.code))
            .collect()
    };
    cells.extend(cells_at(None));
    let mut text = String::new();
    let mut quote = 0;
    for piece in &pieces {
        match piece {
            Piece::Text(line) => {
                text.push_str(without_heading_id(line));
                text.push('\n');
            }
            Piece::Quote(key, book_copy) => {
                // A quote of what a later cell prints or draws stays, as the book shows it,
                // so the text around it still reads; the others are the cells' output.
                let owner = produced.iter().position(|keys| keys.contains(key));
                if owner.is_none_or(|j| at[j].is_some_and(|a| a > quote)) {
                    text.push_str(book_copy);
                    text.push('\n');
                }
                let here = cells_at(Some(quote));
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

/// For each experiment, the sections (of `titles`, in the order printed) and the figures (of
/// `figures`) it produces. Sections come out in the order of the experiments: each goes to
/// the first experiment, from the one that printed the section before, that has it among its
/// literals, exactly if one does, else as a format string (`"Learning {name}"`).
fn what_each_experiment_produces(
    program: &Program,
    titles: &[String],
    figures: &[String],
) -> Vec<Vec<Key>> {
    let templates = |strings: &[String], min_letters: usize| -> Vec<Template> {
        let all = strings.iter().map(|s| Template::new(s));
        all.filter(|t| t.letters() >= min_letters).collect()
    };
    let experiments: Vec<(Vec<Template>, Vec<Template>)> = program
        .experiments
        .iter()
        .map(|e| (templates(&e.titles, 3), templates(&e.figures, 0)))
        .collect();
    let find = |from: usize, name: &str, figure: bool| {
        let found = |exact: bool| {
            (from..experiments.len()).find(|&j| {
                let (sections, figures) = &experiments[j];
                let candidates = if figure { figures } else { sections };
                let fits = |t: &Template| t.matches(name) && (t.is_plain() || !exact);
                candidates.iter().any(fits)
            })
        };
        found(true).or_else(|| found(false))
    };
    let mut keys = vec![Vec::new(); experiments.len()];
    let mut from = 0;
    for title in titles {
        if let Some(j) = find(from, title, false) {
            keys[j].push(Key::Section(section_slug(title)));
            from = j;
        }
    }
    for figure in figures {
        if let Some(j) = find(0, figure, true) {
            keys[j].push(Key::Figure(figure.clone()));
        }
    }
    keys
}

/// Where each experiment's cell goes, given what each produces: at the index of a quote on the
/// page (`None`: before the page). That is the first quote of what it prints or draws, after
/// where the one before it went, so the experiments keep their order; one quoted nowhere goes
/// with the next one that is (it computes what that one shows), or, at the end, with the last
/// one that is.
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
                    chars.by_ref().find(|&c| c == '}');
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
        let chars = self.pieces.iter().flat_map(|p| p.chars());
        chars.filter(|c| c.is_alphabetic()).count()
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

/// The `:dep` cell: the chapter crate, then each dependency of the chapter that its program
/// names, as the workspace pins it; paths are relative to the notebooks' folder.
fn dependency_cell(root: &Path, chapter: &str, main_rs: &str) -> Result<String> {
    let manifest: toml::Table = read(&root.join("chapters").join(chapter).join("Cargo.toml"))?
        .parse()
        .context("parsing the chapter's Cargo.toml")?;
    let workspace: toml::Table = read(&root.join("Cargo.toml"))?
        .parse()
        .context("parsing the workspace's Cargo.toml")?;
    let pinned = &workspace["workspace"]["dependencies"];
    let names = program::identifiers(main_rs)?;
    let mut lines = vec![format!(
        ":dep {chapter} = {{ path = \"../chapters/{chapter}\" }}"
    )];
    let dependencies = manifest.get("dependencies").and_then(|d| d.as_table());
    for (name, spec) in dependencies.into_iter().flatten() {
        if names.contains(&name.replace('-', "_")) {
            let spec = notebook_spec(name, spec, pinned, chapter)?;
            lines.push(format!(":dep {name} = {spec}"));
        }
    }
    Ok(lines.join("\n"))
}

/// A chapter's dependency as the notebook names it: what the workspace pins if the chapter
/// inherits it (with the chapter's extra features), and paths made relative to `notebooks/`.
fn notebook_spec(
    name: &str,
    spec: &toml::Value,
    pinned: &toml::Value,
    chapter: &str,
) -> Result<toml::Value> {
    let inherits = spec.get("workspace").and_then(toml::Value::as_bool) == Some(true);
    let (mut full, folder) = if inherits {
        let base = pinned
            .get(name)
            .with_context(|| format!("{name} is not in [workspace.dependencies]"))?;
        (base.clone(), "../".to_string())
    } else {
        (spec.clone(), format!("../chapters/{chapter}/"))
    };
    if let toml::Value::String(version) = &full {
        let version = toml::Value::String(version.clone());
        full = toml::Value::Table(toml::Table::from_iter([("version".to_string(), version)]));
    }
    let table = full
        .as_table_mut()
        .context("a dependency is a version or a table")?;
    if let Some(toml::Value::String(path)) = table.get_mut("path") {
        path.insert_str(0, &folder);
    }
    let extra = spec.get("features").and_then(toml::Value::as_array);
    if let Some(extra) = extra.filter(|_| inherits) {
        let features = table
            .entry("features")
            .or_insert_with(|| toml::Value::Array(Vec::new()));
        let features = features.as_array_mut().context("features is not a list")?;
        for feature in extra {
            if !features.contains(feature) {
                features.push(feature.clone());
            }
        }
    }
    // A bare version stays as the workspace writes it: `anyhow = "=1.0.104"`.
    match table.get("version") {
        Some(version) if table.len() == 1 => Ok(version.clone()),
        _ => Ok(full),
    }
}

/// A heading without the anchor the book gives it (`## Title {#title}` → `## Title`), which
/// Jupyter would show as text.
fn without_heading_id(line: &str) -> &str {
    match line.rfind(" {#") {
        Some(at) if line.starts_with('#') && line.ends_with('}') => &line[..at],
        _ => line,
    }
}

/// The Markdown of `text` as cells: none if it is blank.
fn markdown_cells(text: &str) -> Option<Value> {
    let text = squeeze_blank_lines(text.lines());
    (!text.is_empty()).then(|| markdown_cell(&text))
}

/// Cell text as notebooks store it: a list of lines, each but the last ending in `\n`.
fn source_lines(text: &str) -> Value {
    text.split_inclusive('\n').collect()
}

fn markdown_cell(text: &str) -> Value {
    json!({"cell_type": "markdown", "metadata": {}, "source": source_lines(text)})
}

fn code_cell(code: &str) -> Value {
    json!({
        "cell_type": "code",
        "execution_count": null,
        "metadata": {},
        "outputs": [],
        "source": source_lines(code),
    })
}

/// The notebook as Jupyter writes it (`json.dumps(notebook, indent=1, sort_keys=True,
/// ensure_ascii=False)`): the cells, each given an id by its position, for the evcxr kernel.
fn notebook_json(cells: Vec<Value>) -> String {
    let cells: Vec<Value> = cells
        .into_iter()
        .enumerate()
        .map(|(i, mut cell)| {
            cell["id"] = json!(format!("cell-{:03}", i + 1));
            cell
        })
        .collect();
    let notebook = json!({
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Rust", "language": "rust", "name": "rust"},
            "language_info": {
                "codemirror_mode": "rust",
                "file_extension": ".rs",
                "mimetype": "text/rust",
                "name": "Rust",
                "pygment_lexer": "rust",
                "version": "",
            },
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    });
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b" ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    serde::Serialize::serialize(&notebook, &mut serializer).expect("a notebook serialises");
    String::from_utf8(out).expect("serde_json writes UTF-8") + "\n"
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
    fn headings_lose_their_anchors() {
        assert_eq!(without_heading_id("## Fast {#fast}"), "## Fast");
        assert_eq!(without_heading_id("a {#b} c"), "a {#b} c");
    }

    #[test]
    fn what_only_the_book_can_show_is_left_out() {
        let text = "# A page\nbefore\n<!-- book only -->\n## Draw\n<canvas></canvas>\n\
                    <!-- end of book only -->\nafter";
        let (_, pieces) = page_pieces(text, &crate::workspace_root(), "ch99_test").unwrap();
        assert_eq!(
            pieces,
            [Piece::Text("before".into()), Piece::Text("after".into())]
        );
    }

    #[test]
    fn figures_leave_the_text_and_links_point_from_the_notebooks() {
        let (text, figures) = page::take_figures(
            "See ![The runs](generated/ch99_test/runs.svg) and ![x](other.svg).",
            "ch99_test",
        );
        assert_eq!(text, "See  and ![x](other.svg).");
        assert_eq!(figures, [("The runs".to_string(), "runs.svg".to_string())]);
        let chapters = ["ch01_perceptron".to_string()];
        assert_eq!(
            page::relink(
                "[one](ch01_perceptron.md#logic), [sol](generated/solutions.md#a), [w](https://x.org/a.md)",
                &chapters
            ),
            "[one](ch01_perceptron.ipynb#logic), [sol](../book/generated/solutions.md#a), [w](https://x.org/a.md)"
        );
    }

    #[test]
    fn dependencies_are_pinned_as_the_workspace_pins_them() {
        let pinned: toml::Table = r#"
            anyhow = "=1.0"
            clap = { version = "=4", default-features = false, features = ["std"] }
            figures = { path = "support/figures" }
        "#
        .parse()
        .unwrap();
        let pinned = toml::Value::Table(pinned);
        let spec = |name: &str, chapter_spec: &str| {
            let spec: toml::Value = chapter_spec.parse::<toml::Table>().unwrap()["x"].clone();
            notebook_spec(name, &spec, &pinned, "ch99_test")
                .unwrap()
                .to_string()
        };
        assert_eq!(spec("anyhow", "x.workspace = true"), "\"=1.0\"");
        assert_eq!(
            spec("anyhow", "x = { workspace = true, features = [\"b\"] }"),
            "{ version = \"=1.0\", features = [\"b\"] }"
        );
        assert_eq!(
            spec(
                "clap",
                "x = { workspace = true, features = [\"std\", \"derive\"] }"
            ),
            "{ version = \"=4\", default-features = false, features = [\"std\", \"derive\"] }"
        );
        assert_eq!(
            spec("figures", "x.workspace = true"),
            "{ path = \"../support/figures\" }"
        );
        assert_eq!(
            spec("own", "x = { path = \"../own\" }"),
            "{ path = \"../chapters/ch99_test/../own\" }"
        );
    }
}
