use super::*;
use crate::handwriting::read_image;

#[test]
fn mnist_strokes_are_as_wide_as_the_constant_says() {
    let test = mnist::load().unwrap().test;
    let n = 1000;
    let mut total = 0.0;
    for i in 0..n {
        let pixels = test.image(i).iter().map(|&p| f32::from(p) / 255.0);
        let mask = Image::new(
            28,
            28,
            pixels.map(|v| f32::from(u8::from(v >= 0.5))).collect(),
        );
        total += stroke_width(&mask);
    }
    let mean = total / n as f64;
    assert!((mean - MNIST_STROKE).abs() < 0.1, "{mean}");
}

#[test]
fn a_shadow_across_the_page_leaves_the_paper_paper() {
    // paper in light on the left, in shadow (darker than the ink in the light) on the right
    let mut photo = Image::new(120, 40, vec![0.9; 4800]);
    for y in 0..40 {
        for x in 60..120 {
            photo.set(x, y, 0.3);
        }
    }
    for y in 10..30 {
        photo.set(30, y, 0.4); // a stroke in the light
        photo.set(90, y, 0.05); // a stroke in the shadow
    }
    let ink = local_threshold(&photo);
    assert_eq!((ink.at(30, 20), ink.at(90, 20)), (1.0, 1.0));
    assert_eq!((ink.at(100, 5), ink.at(10, 5)), (0.0, 0.0));
}

#[test]
fn the_boxes_fall_on_the_ink_of_the_page_turned_straight() {
    let mut page = Image::new(400, 200, vec![0.9; 80_000]);
    for x in 0..400 {
        page.set(x, 150, 0.2); // a ruled line
    }
    for y in 60..140 {
        for x in 330..336 {
            page.set(x, y, 0.1); // a "1", far from the centre
        }
    }
    let photo = turn_page(&page, -5.0, true);
    let found = preprocess_photo(&photo).unwrap();
    assert_eq!(found.digits.len(), 1);
    let b = found.digits[0].bbox;
    let centre = (
        (b.left + b.right) as f64 / 2.0,
        (b.top + b.bottom) as f64 / 2.0,
    );
    // how far the box's centre is from the centre of the "1" in a picture
    let miss = |picture: &Image| {
        let ink: Vec<(f64, f64)> = (0..picture.pixels.len())
            .filter(|&i| picture.pixels[i] < 0.15)
            .map(|i| ((i % picture.width) as f64, (i / picture.width) as f64))
            .collect();
        let n = ink.len() as f64;
        let x = ink.iter().map(|p| p.0).sum::<f64>() / n;
        let y = ink.iter().map(|p| p.1).sum::<f64>() / n;
        (x - centre.0).hypot(y - centre.1)
    };
    let straight = turn_page(&photo, found.turn, found.light_paper);
    assert!(miss(&straight) < 2.0, "{}", miss(&straight));
    assert!(miss(&photo) > 5.0, "{}", miss(&photo)); // the photo as taken is not it
}

#[test]
fn digits_that_touch_are_split_and_a_wide_digit_is_not() {
    let mut ink = Image::zeros(60, 30);
    for x in 5..55 {
        ink.set(x, 5, 1.0); // one wide bar
    }
    for y in 5..25 {
        ink.set(5, y, 1.0);
    }
    let mark = connected_components(&ink, 0.5).remove(0);
    assert_eq!(split_touching(mark.clone(), 50).len(), 1);
    assert_eq!(split_touching(mark, 30).len(), 2);
}

#[test]
fn the_steps_for_photos_find_the_right_number_of_digits_more_often() {
    let folder = chapter_cli::workspace_root().join("data/handwriting/photos");
    let (mut plain, mut steps, mut photos) = (0, 0, 0);
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let labels = name.rsplit('-').take_while(|p| p.len() == 1).count();
        let photo = read_image(&path).unwrap();
        let count = |found: Result<Preprocessed>| found.map_or(0, |f| f.digits.len());
        plain += usize::from(count(crate::handwriting::preprocess(&photo)) == labels);
        let found = count(preprocess_photo(&photo));
        steps += usize::from(found == labels);
        if name.contains("shadow") {
            assert_eq!(found, labels, "{name}"); // the shadow the plain recipe fails on
        }
        photos += 1;
    }
    assert!(photos >= 12);
    assert!(steps > plain, "{steps} against {plain} of {photos}");
}
