//! A chapter's page as notebook Markdown: listings included, links pointed from
//! `notebooks/`, and the quotes of the program's output and figures marked, so that the
//! cells that print and draw them can take their place.

use std::path::Path;

use anyhow::{Context, Result};

use super::read;

/// Something a page quotes from the program: a section of its output or a figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    /// A section, by its slug.
    Section(String),
    /// A figure, by its file name.
    Figure(String),
}

/// A piece of a page: a line of Markdown, or a quote of the program's output or figures (with
/// the Markdown that shows the book's copy of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Quote(Key, String),
}

/// The lines that open and close a part of a page that only the built book can show (the
/// MNIST chapter's drawing canvas, which runs in the page): the notebook leaves it out.
pub const BOOK_ONLY: &str = "<!-- book only -->";
pub const BOOK_ONLY_END: &str = "<!-- end of book only -->";

/// The page's title and the rest of it as pieces: listings included, quotes of the program
/// marked (and left out of the text), links pointed from `notebooks/` to their targets, the
/// parts between [`BOOK_ONLY`] and [`BOOK_ONLY_END`] left out.
pub fn page_pieces(page: &str, root: &Path, chapter: &str) -> Result<(String, Vec<Piece>)> {
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
        if line.trim() == BOOK_ONLY {
            lines.by_ref().find(|l| l.trim() == BOOK_ONLY_END);
            continue;
        }
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
pub fn take_figures(line: &str, chapter: &str) -> (String, Vec<(String, String)>) {
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
pub fn relink(line: &str, chapters: &[String]) -> String {
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
