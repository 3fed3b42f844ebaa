//! Slugs for imported practices: unique over the whole file, and the same
//! for the same row on every import, whatever the filters.
//!
//! A practice's slug is its readable name through [`rules::slugify`]. Names
//! repeat (eight practices are called "High Street Surgery"), so the slugs
//! are worked out over every active GP practice of the file, not only the
//! ones being written:
//!
//! 1. a name slug that only one practice has is the slug;
//! 2. a name slug that several share gets the town appended (the last
//!    address line): `high-street-surgery-doncaster`;
//! 3. if that is still shared, or is another practice's slug, the ODS code is
//!    appended too: `high-street-surgery-doncaster-c86023`.
//!
//! [`rules::slugify`]: crate::config::rules::slugify

use std::collections::{HashMap, HashSet};

/// The longest slug the config accepts.
const MAX_LEN: usize = 80;

/// What a practice's slug is made of, already slugified.
#[derive(Debug, Clone)]
pub struct Parts {
    pub name: String,
    pub town: Option<String>,
    /// The ODS code in lower case.
    pub ods_code: String,
}

/// One slug per practice, in the same order.
pub fn assign(practices: &[Parts]) -> Vec<String> {
    let mut name_count: HashMap<&str, usize> = HashMap::new();
    for p in practices {
        *name_count.entry(p.name.as_str()).or_default() += 1;
    }
    // A name `check` refuses as a slug (the change reports' folder,
    // `changes`, or the web app's page `new`) is treated as shared, so it
    // gets the town or ODS code after it.
    let shared = |p: &Parts| {
        name_count[p.name.as_str()] > 1 || crate::config::rules::check_slug(&p.name).is_err()
    };
    let unique_names: HashSet<&str> = practices
        .iter()
        .filter(|p| !shared(p))
        .map(|p| p.name.as_str())
        .collect();

    let with_town: Vec<Option<String>> = practices
        .iter()
        .map(|p| {
            shared(p).then(|| match &p.town {
                Some(town) => append(&p.name, town),
                None => p.name.clone(),
            })
        })
        .collect();
    let mut town_count: HashMap<&str, usize> = HashMap::new();
    for slug in with_town.iter().flatten() {
        *town_count.entry(slug.as_str()).or_default() += 1;
    }

    practices
        .iter()
        .zip(&with_town)
        .map(|(p, with_town)| match with_town {
            None => p.name.clone(),
            Some(slug)
                if p.town.is_some()
                    && town_count[slug.as_str()] == 1
                    && !unique_names.contains(slug.as_str()) =>
            {
                slug.clone()
            }
            Some(slug) => append(slug, &p.ods_code),
        })
        .collect()
}

/// `base-extra`, shortening `base` so the whole stays within 80 characters.
fn append(base: &str, extra: &str) -> String {
    let room = MAX_LEN.saturating_sub(extra.len() + 1);
    let mut cut = base.len().min(room);
    while !base.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}-{extra}", base[..cut].trim_end_matches('-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(name: &str, town: &str, ods: &str) -> Parts {
        Parts {
            name: name.into(),
            town: (!town.is_empty()).then(|| town.into()),
            ods_code: ods.into(),
        }
    }

    #[test]
    fn a_practice_named_changes_or_new_gets_its_town() {
        let slugs = assign(&[
            parts("changes", "doncaster", "c86023"),
            parts("new", "sheffield", "c88001"),
        ]);
        assert_eq!(slugs, ["changes-doncaster", "new-sheffield"]);
    }

    #[test]
    fn unique_names_keep_their_slug() {
        let slugs = assign(&[
            parts("bentley-surgery", "doncaster", "c86023"),
            parts("the-nelson-practice", "doncaster", "c86613"),
        ]);
        assert_eq!(slugs, ["bentley-surgery", "the-nelson-practice"]);
    }

    #[test]
    fn shared_names_get_the_town_then_the_ods_code() {
        let slugs = assign(&[
            parts("high-street-surgery", "doncaster", "c86001"),
            parts("high-street-surgery", "leeds", "b86002"),
            parts("high-street-surgery", "epping", "f81003"),
            parts("high-street-surgery", "epping", "f81004"),
            parts("riverside-surgery", "", "a81005"),
            parts("riverside-surgery", "", "a81006"),
            parts("riverside-surgery", "hull", "b81007"),
        ]);
        assert_eq!(
            slugs,
            [
                "high-street-surgery-doncaster",
                "high-street-surgery-leeds",
                "high-street-surgery-epping-f81003",
                "high-street-surgery-epping-f81004",
                "riverside-surgery-a81005",
                "riverside-surgery-a81006",
                "riverside-surgery-hull",
            ]
        );
    }

    #[test]
    fn a_town_slug_never_takes_another_practices_name() {
        let slugs = assign(&[
            parts("park-surgery", "leeds", "b1"),
            parts("park-surgery", "york", "b2"),
            parts("park-surgery-leeds", "leeds", "b3"),
        ]);
        assert_eq!(
            slugs,
            [
                "park-surgery-leeds-b1",
                "park-surgery-york",
                "park-surgery-leeds"
            ]
        );
    }

    #[test]
    fn the_same_row_gets_the_same_slug_whatever_else_is_there() {
        let all = [
            parts("village-surgery", "hull", "b1"),
            parts("village-surgery", "york", "b2"),
        ];
        let once = assign(&all);
        let again = assign(&all);
        assert_eq!(once, again);
    }

    #[test]
    fn long_slugs_are_shortened_to_80_characters() {
        let long = "a".repeat(78);
        let slug = append(&long, "c86001");
        assert_eq!(slug.len(), 80);
        assert!(slug.ends_with("-c86001"));
    }
}
