//! The documents say what SPEC §5 and §6 require, for every nation: facts
//! are checked by value (names, numbers, laws), not by wording.

use std::collections::HashSet;

use crate::harness::{Sandbox, repo};

/// Every example practice in Markdown and HTML, built once for all the
/// tests here (each only reads it).
fn built_examples() -> &'static Sandbox {
    static BUILT: std::sync::OnceLock<Sandbox> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| crate::harness::built_examples("md,html"))
}

struct NationCase {
    slug: &'static str,
    ombudsman: [&'static str; 3],
    time_limit: &'static str,
    acknowledge: &'static str,
    commissioner: &'static str,
    advocacy: &'static [&'static str],
}

const NATIONS: [NationCase; 4] = [
    NationCase {
        slug: "ashfield-medical-centre",
        ombudsman: [
            "Parliamentary and Health Service Ombudsman",
            "0345 015 4033",
            "www.ombudsman.org.uk",
        ],
        time_limit: "12 months",
        acknowledge: "3 working days",
        commissioner: "NHS South Yorkshire Integrated Care Board",
        advocacy: &["POhWER", "0306 999 0370"],
    },
    NationCase {
        slug: "meddygfa-ty-gwyn",
        ombudsman: [
            "Public Services Ombudsman for Wales",
            "0300 790 0203",
            "www.ombudsman.wales",
        ],
        time_limit: "12 months",
        acknowledge: "as soon as we can",
        commissioner: "Cardiff and Vale University Health Board",
        advocacy: &["Llais", "llaiswales.org"],
    },
    NationCase {
        slug: "leith-walk-medical-practice",
        ombudsman: [
            "Scottish Public Services Ombudsman",
            "0800 377 7330",
            "www.spso.org.uk",
        ],
        time_limit: "6 months",
        acknowledge: "3 working days",
        commissioner: "NHS Lothian",
        advocacy: &["Patient Advice and Support Service", "0800 917 2127"],
    },
    NationCase {
        slug: "ormeau-road-surgery",
        ombudsman: [
            "Northern Ireland Public Services Ombudsman",
            "0800 343424",
            "www.nipso.org.uk",
        ],
        time_limit: "6 months",
        acknowledge: "3 working days",
        commissioner: "Strategic Planning and Performance Group",
        advocacy: &[
            "Patient and Client Council",
            "0800 917 0222",
            "info.pcc@hscni.net",
        ],
    },
];

#[test]
fn leaflet_carries_each_nations_facts() {
    let sandbox = built_examples();
    for case in NATIONS {
        let leaflet = sandbox.read(&format!("out/{}/complaints-leaflet.md", case.slug));
        let mut expected: Vec<&str> = case
            .ombudsman
            .iter()
            .copied()
            .filter(|s| !s.is_empty())
            .collect();
        expected.extend([case.time_limit, case.acknowledge, case.commissioner]);
        expected.extend(case.advocacy);
        expected.extend(["large print", "easy read"]);
        for fact in expected {
            assert!(
                leaflet.contains(fact),
                "{} leaflet lacks {fact:?}",
                case.slug
            );
        }
        // The other nations' ombudsmen never appear.
        for other in NATIONS.iter().filter(|o| o.slug != case.slug) {
            assert!(
                !leaflet.contains(other.ombudsman[0]),
                "{} leaflet names {}",
                case.slug,
                other.ombudsman[0]
            );
        }
    }
}

#[test]
fn scotland_and_northern_ireland_leaflets_give_both_stages() {
    let sandbox = built_examples();
    for (slug, facts) in [
        (
            "leith-walk-medical-practice",
            [
                "5 working days",
                "20 working days",
                "12 months after it happened",
            ],
        ),
        (
            "ormeau-road-surgery",
            [
                "5 working days",
                "20 working days",
                "6 months of getting our final answer",
            ],
        ),
    ] {
        let leaflet = sandbox.read(&format!("out/{slug}/complaints-leaflet.md"));
        for fact in facts {
            assert!(leaflet.contains(fact), "{slug} leaflet lacks {fact:?}");
        }
    }
}

#[test]
fn welsh_leaflet_describes_the_2026_process_of_concerns() {
    let sandbox = built_examples();
    let wales = sandbox.read("out/meddygfa-ty-gwyn/complaints-leaflet.md");
    for fact in [
        "raise a concern",
        "Early resolution",
        "Investigation",
        "the NHS calls a complaint a \"concern\"",
    ] {
        assert!(wales.contains(fact), "Wales leaflet lacks {fact:?}");
    }
    // The 2011 process's 30 working days is no longer the rule, and the new
    // times are not printed until they can be checked.
    for old in [
        "30 working days",
        "Putting Things Right",
        "Working days are Monday",
    ] {
        assert!(!wales.contains(old), "Wales leaflet still says {old:?}");
    }
}

/// What each nation's documents must name, and what they must never name.
struct LawCase {
    slug: &'static str,
    names: &'static [&'static str],
    never: &'static [&'static str],
}

const LAW: [LawCase; 4] = [
    LawCase {
        slug: "ashfield-medical-centre",
        names: &[
            "Special Allocation Scheme",
            "Defamation Act 2013",
            "Online Safety Act 2023",
            "NHS Accessible Information Standard",
            "NHS Profile Manager",
            "non-trivial",
            "Schedule 3, paragraph 25",
            "Primary Care Support England",
        ],
        never: &[
            "Scotland) Act",
            "Northern Ireland) 2022",
            "Llais",
            "Business Services Organisation",
            "and the ICB told",
            "crime reference number the police gave",
            "National Services Scotland",
        ],
    },
    LawCase {
        slug: "meddygfa-ty-gwyn",
        names: &[
            "Defamation Act 2013",
            "Online Safety Act 2023",
            "All-Wales Accessible Communication and Information Standards",
            "ask the health board to remove them straight away",
            "health board would then arrange their GP care",
            "Schedule 3, paragraph 30",
            "crime reference number the police gave",
            "The removal is not immediate",
            "non-trivial",
        ],
        never: &[
            "Special Allocation Scheme",
            "Primary Care Support England",
            "National Services Scotland",
            "come to meetings with you",
            "NHS Accessible Information Standard",
            "NHS website",
            "Profile Manager",
            "Integrated Care Board",
            "Scotland) Act",
        ],
    },
    LawCase {
        slug: "leith-walk-medical-practice",
        names: &[
            "Defamation and Malicious Publication (Scotland) Act 2021",
            "Criminal Justice and Licensing (Scotland) Act 2010",
            "Communications Act 2003",
            "health board would then arrange their GP care",
            "National Services Scotland",
            "a public authority may not bring defamation proceedings",
            "can still sue in their own name",
            "Care Opinion",
        ],
        never: &[
            "Defamation Act 2013",
            "Online Safety Act",
            "Special Allocation Scheme",
            "Accessible Information Standard",
            "NHS website",
            "Profile Manager",
            "NHS number",
        ],
    },
    LawCase {
        slug: "ormeau-road-surgery",
        names: &[
            "Defamation Act (Northern Ireland) 2022",
            "Online Safety Act 2023",
            "Business Services Organisation",
            "Care Opinion",
            "non-trivial",
            "within 30 days of getting that answer",
        ],
        never: &[
            "Primary Care Support England",
            "National Services Scotland",
            "Defamation Act 2013",
            "serious harm to someone's reputation",
            "Special Allocation Scheme",
            "Accessible Information Standard",
            "NHS website",
            "Health and Social Care Board",
            "NHS number",
            "NHS contract",
        ],
    },
];

#[test]
fn each_nation_names_only_its_own_law_schemes_and_bodies() {
    let sandbox = built_examples();
    for case in LAW {
        let all: String = [
            "zero-tolerance-notice",
            "complaints-leaflet",
            "staff-handbook",
        ]
        .iter()
        .map(|doc| sandbox.read(&format!("out/{}/{doc}.md", case.slug)))
        .collect();
        for name in case.names {
            assert!(all.contains(name), "{} documents lack {name:?}", case.slug);
        }
        for name in case.never {
            assert!(!all.contains(name), "{} documents name {name:?}", case.slug);
        }
        // Bodies that are not every nation's (Healthwatch may be abolished;
        // the GPhC does not regulate pharmacists in Northern Ireland).
        for name in ["Healthwatch", "GPhC"] {
            assert!(!all.contains(name), "{} documents name {name:?}", case.slug);
        }
        // The false-communications test is "non-trivial" harm, never "serious".
        assert!(
            !all.contains("meaning to cause serious harm"),
            "{}: false communications described as serious harm",
            case.slug
        );
    }
}

#[test]
fn notice_never_ties_removal_to_criticism_and_welcomes_honest_feedback() {
    let sandbox = built_examples();
    for case in LAW {
        let notice = sandbox.read(&format!("out/{}/zero-tolerance-notice.md", case.slug));
        let removal = notice
            .lines()
            .find(|l| {
                l.to_lowercase()
                    .contains("remove the person from our patient list")
            })
            .unwrap_or_else(|| panic!("{}: no removal line", case.slug));
        assert!(
            removal.contains("threats, abuse or harassment") && removal.contains("after a warning"),
            "{}: {removal}",
            case.slug
        );
        assert!(
            notice.contains("Honest feedback, good or bad, will never affect your care"),
            "{}",
            case.slug
        );
    }
}

/// The legal detail left the poster for the leaflet (and the handbook and the
/// web page): each nation's leaflet says, in its own words, what the
/// practice may do about abuse, under that nation's removal rule, offences
/// and defamation law, and that honest feedback never affects care.
#[test]
fn each_leaflet_carries_its_own_nations_legal_detail() {
    let sandbox = built_examples();
    let cases: [(&str, &[&str]); 4] = [
        (
            "ashfield-medical-centre",
            &[
                "Special Allocation Scheme",
                "Online Safety Act 2023",
                "Defamation Act 2013",
            ],
        ),
        (
            "meddygfa-ty-gwyn",
            &[
                "ask the health board to remove them straight away",
                "Online Safety Act 2023",
                "Defamation Act 2013",
            ],
        ),
        (
            "leith-walk-medical-practice",
            &[
                "ask the health board to remove them straight away",
                "In Scotland it can be a crime",
                "Defamation and Malicious Publication (Scotland) Act 2021",
            ],
        ),
        (
            "ormeau-road-surgery",
            &[
                "Business Services Organisation",
                "Online Safety Act 2023",
                "Northern Ireland has its own defamation law",
            ],
        ),
    ];
    for (slug, names) in cases {
        let leaflet = sandbox.read(&format!("out/{slug}/complaints-leaflet.md"));
        let section = leaflet
            .split("## If someone abuses our staff")
            .nth(1)
            .and_then(|rest| rest.split("\n## ").next())
            .unwrap_or_else(|| panic!("{slug}: the leaflet has no section on abuse"));
        for name in names {
            assert!(section.contains(name), "{slug} leaflet lacks {name:?}");
        }
        assert!(
            section.contains("Honest feedback, good or bad, will never affect your care")
                && section.contains("never do this because of honest criticism"),
            "{slug}: {section}"
        );
    }
}

#[test]
fn english_leaflet_without_advocacy_still_says_where_to_get_it() {
    let sandbox = Sandbox::new();
    let config =
        std::fs::read_to_string(repo().join("practice-configs/ashfield-medical-centre.toml"))
            .unwrap();
    let start = config.find("[advocacy]").unwrap();
    let end = config.find("[lmc]").unwrap();
    let without = format!("{}{}", &config[..start], &config[end..]);
    sandbox.write("a.toml", &without);
    sandbox
        .run(&[
            "build",
            "a.toml",
            "--docs",
            "complaints-leaflet",
            "--formats",
            "md",
        ])
        .expect_code(0);
    let leaflet = sandbox.read("out/ashfield-medical-centre/complaints-leaflet.md");
    assert!(!leaflet.contains("POhWER"));
    assert!(leaflet.contains("how to find a free advocate"), "{leaflet}");
}

#[test]
fn notice_covers_what_the_spec_lists() {
    let sandbox = built_examples();
    let notice = sandbox.read("out/ashfield-medical-centre/zero-tolerance-notice.md");
    for fact in [
        "Online Safety Act 2023",
        "Defamation Act 2013",
        "Special Allocation Scheme",
        "police",
        "Jane Smith",
        "0114 496 0457",
        "complaints.ashfield@nhs.net",
        "www.ashfieldmedical.nhs.uk/complaints",
        "1 November 2026",
        "Dr A Patel, Senior Partner",
    ] {
        assert!(notice.contains(fact), "notice lacks {fact:?}");
    }
}

#[test]
fn handbook_covers_the_nine_points_and_the_practice_details() {
    let sandbox = built_examples();
    let handbook = sandbox.read("out/ashfield-medical-centre/staff-handbook.md");
    for fact in [
        "Defamation Act 2013",
        "Online Safety Act 2023",
        "2 working days",
        "Doncaster LMC",
        "The MDU",
        "Medical Protection",
        "1 November 2027",
        "Ashfield Medical Centre",
        "0114 496 0457",
    ] {
        assert!(handbook.contains(fact), "handbook lacks {fact:?}");
    }
    let lower = handbook.to_lowercase();
    for point in [
        "confidential",
        "dispute",
        "calm",
        "prompt",
        "thank",
        "apolog",
        "investigat",
        "complaints procedure",
        "defence",
    ] {
        assert!(lower.contains(point), "handbook lacks point {point:?}");
    }
    // A feedback-log table (GFM) and model replies as block quotes.
    assert!(
        handbook
            .lines()
            .any(|l| l.starts_with("| ") && l.to_lowercase().contains("date")),
        "no feedback log table"
    );
    assert!(
        handbook.lines().filter(|l| l.starts_with("> ")).count() >= 3,
        "no model replies"
    );
    // The reply time follows the config.
    let wales = sandbox.read("out/meddygfa-ty-gwyn/staff-handbook.md");
    assert!(wales.contains("3 working days"));
}

#[test]
fn every_html_link_to_a_section_finds_its_heading() {
    let sandbox = built_examples();
    let out = sandbox.path().join("out");
    {
        for path in crate::harness::practice_files(&out) {
            if path.extension().is_none_or(|e| e != "html") {
                continue;
            }
            let html = std::fs::read_to_string(&path).unwrap();
            let ids: HashSet<&str> = html
                .split("id=\"")
                .skip(1)
                .filter_map(|s| s.split('"').next())
                .collect();
            for target in html
                .split("href=\"#")
                .skip(1)
                .filter_map(|s| s.split('"').next())
            {
                assert!(
                    ids.contains(target),
                    "{}: link to #{target} has no target",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn documents_have_one_h1_and_no_skipped_heading_levels() {
    let sandbox = built_examples();
    for case in NATIONS {
        for stem in [
            "zero-tolerance-notice",
            "complaints-leaflet",
            "staff-handbook",
        ] {
            let md = sandbox.read(&format!("out/{}/{stem}.md", case.slug));
            let levels: Vec<usize> = md
                .lines()
                .filter(|l| l.starts_with('#'))
                .map(|l| l.chars().take_while(|c| *c == '#').count())
                .collect();
            // One H1 for each language: Welsh and English for the notice in Wales.
            let languages = if case.slug == "meddygfa-ty-gwyn" && stem == "zero-tolerance-notice" {
                2
            } else {
                1
            };
            assert_eq!(
                levels.iter().filter(|l| **l == 1).count(),
                languages,
                "{stem}: one H1 per language"
            );
            assert_eq!(levels.first(), Some(&1), "{stem}: starts with the H1");
            for pair in levels.windows(2) {
                assert!(
                    pair[1] <= pair[0] + 1,
                    "{stem}: heading level jumps from {} to {}",
                    pair[0],
                    pair[1]
                );
            }
        }
    }
}

#[test]
fn the_notice_in_wales_is_in_welsh_then_english_and_the_rest_in_english() {
    let sandbox = built_examples();
    let notice = sandbox.read("out/meddygfa-ty-gwyn/zero-tolerance-notice.md");
    let welsh = notice
        .find("# Parchwch ein staff")
        .expect("a Welsh headline");
    let english = notice
        .find("# Respect our staff")
        .expect("an English headline");
    assert!(welsh < english, "Welsh first");
    // The facts in Welsh come from the nation file, and the date in Welsh.
    for welsh in [
        "neu ofyn i'r bwrdd iechyd eu tynnu oddi arni ar unwaith",
        "Ddeddf Diogelwch Ar-lein 2023",
        "Deddf Difenwi 2013",
        "Cyhoeddwyd 15 Hydref 2026",
        "Rhian Llŵyd, Rheolwr y Practis",
        "Cymeradwywyd gan: Dr G Evans, Partner yn y practis",
        "am y postiad",
    ] {
        assert!(notice[..english].contains(welsh), "no {welsh:?}:\n{notice}");
    }
    // No English role words, and "post" (mail in Welsh) is never a posting.
    let welsh_half = &notice[..english];
    for english_words in ["Practice Manager", "Partner."] {
        assert!(
            !welsh_half.contains(english_words),
            "the Welsh half says {english_words:?}:\n{notice}"
        );
    }
    for (at, _) in welsh_half.match_indices(" post") {
        let after = welsh_half[at + " post".len()..].chars().next();
        assert!(
            after.is_some_and(char::is_alphabetic),
            "the Welsh half says \"post\" at {at}:\n{notice}"
        );
    }
    let html = sandbox.read("out/meddygfa-ty-gwyn/zero-tolerance-notice.html");
    let div = html
        .find("<div lang=\"cy\">")
        .expect("the Welsh part is marked cy");
    assert!(div < html.find("<h1 id=\"parchwch-ein-staff").unwrap());
    assert!(html.find("</div>").unwrap() < html.find("<h1 id=\"respect-our-staff\">").unwrap());
    // Only the notice has a Welsh template; practices elsewhere get English.
    for (slug, stem) in [
        ("meddygfa-ty-gwyn", "complaints-leaflet"),
        ("meddygfa-ty-gwyn", "staff-handbook"),
        ("ashfield-medical-centre", "zero-tolerance-notice"),
    ] {
        let md = sandbox.read(&format!("out/{slug}/{stem}.md"));
        assert!(
            !md.contains("Hysbysiad") && !md.contains("Cyhoeddwyd"),
            "{slug}/{stem}"
        );
    }
}

#[test]
fn a_health_board_can_correct_the_welsh_and_add_a_welsh_leaflet() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "w.toml",
        &std::fs::read_to_string(repo().join("practice-configs/meddygfa-ty-gwyn.toml")).unwrap(),
    );
    sandbox.write(
        "t/zero-tolerance-notice.cy.md",
        "# Hysbysiad wedi'i gywiro\n\nTestun newydd.\n",
    );
    sandbox.write(
        "t/complaints-leaflet.cy.md",
        "# Taflen gwynion\n\nSut i godi pryder.\n",
    );
    sandbox
        .run(&[
            "build",
            "w.toml",
            "--templates",
            "t",
            "--formats",
            "md,html,pdf",
        ])
        .expect_code(0);
    let notice = sandbox.read("out/meddygfa-ty-gwyn/zero-tolerance-notice.md");
    assert!(
        notice.starts_with("# Hysbysiad wedi'i gywiro\n\nTestun newydd.\n"),
        "{notice}"
    );
    let leaflet = sandbox.read("out/meddygfa-ty-gwyn/complaints-leaflet.md");
    assert!(leaflet.starts_with("# Taflen gwynion"), "{leaflet}");
    // In Wales the English title is the nation's own: "Raising a concern".
    assert!(leaflet.contains("# Raising a concern"), "{leaflet}");
    // A Welsh template without a title is refused, at that template.
    sandbox.write("t/complaints-leaflet.cy.md", "Dim teitl.\n");
    let run = sandbox.run(&["build", "w.toml", "--templates", "t", "--formats", "md"]);
    run.expect_code(1);
    assert!(
        run.stderr().contains("complaints-leaflet.cy.md"),
        "{}",
        run.stderr()
    );
}

#[test]
fn the_welsh_title_is_its_heading_as_text_and_the_welsh_facts_are_required() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "w.toml",
        &std::fs::read_to_string(repo().join("practice-configs/meddygfa-ty-gwyn.toml")).unwrap(),
    );
    sandbox.write(
        "t/complaints-leaflet.cy.md",
        "# Taflen **{{ practice.name }}**\n\nTestun.\n",
    );
    sandbox.write(
        "t/zero-tolerance-notice.cy.md",
        "# Parchwch **{{ practice.name }}**\n\nTestun.\n",
    );
    sandbox
        .run(&[
            "build",
            "w.toml",
            "--templates",
            "t",
            "--docs",
            "notice,leaflet",
            "--formats",
            "html",
        ])
        .expect_code(0);
    let html = sandbox.read("out/meddygfa-ty-gwyn/complaints-leaflet.html");
    assert!(
        html.contains("<title>Taflen Meddygfa Tŷ Gwyn &#x2F; Raising a concern"),
        "{}",
        &html[..html.find("</title>").unwrap()]
    );
    // The notice's first heading is its headline; its title says what it is.
    let html = sandbox.read("out/meddygfa-ty-gwyn/zero-tolerance-notice.html");
    assert!(
        html.contains(
            "<title>Hysbysiad dim goddefgarwch ar gyfryngau cymdeithasol &#x2F; Social media zero-tolerance notice"
        ),
        "{}",
        &html[..html.find("</title>").unwrap()]
    );
    std::fs::remove_file(sandbox.path().join("t/complaints-leaflet.cy.md")).unwrap();
    // Raw HTML in the English half is reported at its own template's line.
    let english =
        std::fs::read_to_string(repo().join("policy-templates/zero-tolerance-notice.md")).unwrap();
    sandbox.write(
        "t/zero-tolerance-notice.md",
        &english.replacen("\n\n", "\n\n<b>x</b>\n\n", 1),
    );
    let run = sandbox.run(&[
        "build",
        "w.toml",
        "--templates",
        "t",
        "--docs",
        "notice",
        "--formats",
        "html",
    ]);
    run.expect_code(1);
    assert!(
        run.stderr()
            .contains("the template zero-tolerance-notice.md produced raw HTML on line 3"),
        "{}",
        run.stderr()
    );
    // Facts for Wales without the Welsh sentences the Welsh notice prints.
    let wales =
        std::fs::read_to_string(repo().join("policy-templates/nations/wales.toml")).unwrap();
    let without: String = wales
        .lines()
        .filter(|l| !l.starts_with("notice_cy"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::remove_file(sandbox.path().join("t/zero-tolerance-notice.md")).unwrap();
    sandbox.write("t/nations/wales.toml", &without);
    let run = sandbox.run(&["build", "w.toml", "--templates", "t", "--formats", "md"]);
    run.expect_code(2);
    assert!(
        run.stderr().contains("removal.notice_cy"),
        "{}",
        run.stderr()
    );
}
