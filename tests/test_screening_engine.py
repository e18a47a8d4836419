"""The screening engine (moderation/screening): pure Python, no database."""

import random
import re
import time

from stdnum import luhn

from moderation.screening import (
    DetectorSpec,
    Hit,
    Screener,
    find_emails,
    find_identity_numbers,
    find_links,
    find_phone_numbers,
    is_valid_personnummer,
    is_valid_samordningsnummer,
    normalize,
)
from moderation.screening.normalize import prepare
from moderation.screening.patterns import PatternSet, gate_regex, required_literals

PROFANITY = ("jävla", "jävl*", "hora", "fitta", "kuk", "idiot", "CP", "fan", "dra åt helvete")


def words(*terms, allow=(), id=1, rule="profanity"):
    return DetectorSpec(id=id, kind="words", rule=rule, terms=tuple(terms), allow=tuple(allow))


def spans(hits):
    return [(h.start, h.end, h.matched, h.term) for h in hits]


def screen_words(text, *terms, allow=()):
    return spans(Screener([words(*(terms or PROFANITY), allow=allow)]).screen(text))


def with_check_digit(nine_digits):
    return nine_digits + luhn.calc_check_digit(nine_digits)


# --------------------------------------------------------------------------- identity numbers


def test_is_valid_personnummer_correct_check_digit_true():
    assert is_valid_personnummer("811218-9876") is True


def test_is_valid_personnummer_wrong_check_digit_false():
    assert is_valid_personnummer("811218-9877") is False


def test_is_valid_personnummer_twelve_digits_true():
    assert is_valid_personnummer("19811218-9876") is True
    assert is_valid_personnummer("198112189876") is True


def test_is_valid_personnummer_ten_digits_without_separator_true():
    assert is_valid_personnummer("8112189876") is True


def test_is_valid_personnummer_plus_form_true():
    assert is_valid_personnummer("811218+9876") is True


def test_is_valid_personnummer_invalid_date_false():
    day_32 = with_check_digit("811232987")
    feb_29_non_leap_year = with_check_digit("010229123")
    assert luhn.is_valid(day_32) and luhn.is_valid(feb_29_non_leap_year)
    assert is_valid_personnummer(day_32[:6] + "-" + day_32[6:]) is False
    assert is_valid_personnummer(feb_29_non_leap_year[:6] + "-" + feb_29_non_leap_year[6:]) is False


def test_is_valid_personnummer_leap_day_true():
    leap = with_check_digit("040229123")
    assert is_valid_personnummer(leap[:6] + "-" + leap[6:]) is True


def test_is_valid_personnummer_future_birth_date_false():
    future = with_check_digit("205012189")
    assert is_valid_personnummer("20" + future[:6] + "-" + future[6:]) is False


def test_is_valid_personnummer_samordningsnummer_false():
    assert is_valid_personnummer("811278-9873") is False


def test_is_valid_samordningsnummer_valid_true():
    assert is_valid_samordningsnummer("811278-9873") is True
    assert is_valid_samordningsnummer("19811278-9873") is True
    assert is_valid_samordningsnummer("8112789873") is True


def test_is_valid_samordningsnummer_wrong_check_digit_false():
    assert is_valid_samordningsnummer("811278-9874") is False


def test_is_valid_samordningsnummer_invalid_date_false():
    feb_31 = with_check_digit("810291987")  # day 91 - 60 = 31 February
    assert luhn.is_valid(feb_31)
    assert is_valid_samordningsnummer(feb_31[:6] + "-" + feb_31[6:]) is False


def test_is_valid_samordningsnummer_personnummer_false():
    assert is_valid_samordningsnummer("811218-9876") is False


def test_find_identity_numbers_mixed_text_exact_spans():
    text = "Mitt pnr 811218-9876, hans 19811218-9876 och samordning 811278-9873; fel 811218-9877."
    assert find_identity_numbers(text) == [
        (9, 20, "personnummer"),
        (27, 40, "personnummer"),
        (56, 67, "samordningsnummer"),
    ]


def test_find_identity_numbers_phone_number_not_flagged():
    assert find_identity_numbers("Ring 0701234567 eller 070-123 45 67") == []


def test_find_identity_numbers_longer_digit_run_not_flagged():
    assert find_identity_numbers("Ordernummer 5811218-98761 och 19811218-98760") == []


# --------------------------------------------------------------------------- words


def test_screen_plain_word_exact_span():
    assert screen_words("Du är en idiot!") == [(9, 14, "idiot", "idiot")]


def test_screen_dotted_letters_span_covers_obfuscation():
    assert screen_words("Din h.o.r.a!") == [(4, 11, "h.o.r.a", "hora")]


def test_screen_spaced_capitals_flagged():
    assert screen_words("Vilken H O R A") == [(7, 14, "H O R A", "hora")]


def test_screen_two_spaced_letters_not_joined():
    assert screen_words("Avdelning C P", "CP") == []
    assert screen_words("C.P-skadad", "CP") == [(0, 3, "C.P", "CP")]


def test_screen_hyphen_for_vowel_flagged():
    assert screen_words("era j-vla regler", "jävla") == [(4, 9, "j-vla", "jävla")]


def test_screen_hyphen_splitting_word_flagged():
    assert screen_words("jä-vla", "jävla") == [(0, 6, "jä-vla", "jävla")]


def test_screen_star_for_vowel_three_letters_flagged():
    assert screen_words("k*k och f*n", "kuk", "fan") == [(0, 3, "k*k", "kuk"), (8, 11, "f*n", "fan")]


def test_screen_dotted_abbreviation_not_read_as_word():
    assert screen_words("F.N. och f.n. t.ex.", "fan") == []


def test_screen_repeated_letters_flagged():
    assert screen_words("jääääävla fiiitta") == [(0, 9, "jääääävla", "jävla"), (10, 17, "fiiitta", "fitta")]


def test_screen_zero_width_inside_word_flagged():
    assert screen_words("din fi\u200btta") == [(4, 10, "fi\u200btta", "fitta")]


def test_screen_soft_hyphen_and_joiner_inside_word_flagged():
    assert screen_words("h\u00adora id\u2060iot") == [(0, 5, "h\u00adora", "hora"), (6, 12, "id\u2060iot", "idiot")]


def test_screen_cyrillic_letter_in_word_flagged():
    text = "h\u043era"  # Cyrillic о
    assert screen_words(text) == [(0, 4, text, "hora")]


def test_screen_leet_digits_flagged():
    assert screen_words("h0ra 1d10t") == [(0, 4, "h0ra", "hora"), (5, 10, "1d10t", "idiot")]


def test_screen_leet_one_as_l_flagged():
    assert screen_words("kn1a", "knla") == [(0, 4, "kn1a", "knla")]


def test_screen_fullwidth_and_mathematical_letters_flagged():
    assert screen_words("ｈｏｒａ 𝐡𝐨𝐫𝐚") == [(0, 4, "ｈｏｒａ", "hora"), (5, 9, "𝐡𝐨𝐫𝐚", "hora")]


def test_screen_accents_stripped_flagged():
    assert screen_words("hóra idïot") == [(0, 4, "hóra", "hora"), (5, 10, "idïot", "idiot")]


def test_screen_decomposed_swedish_letter_flagged():
    assert screen_words("ja\u0308vla") == [(0, 6, "ja\u0308vla", "jävla")]


def test_screen_swedish_letters_kept_distinct_not_flagged():
    assert screen_words("Jag vill höra om fån") == []


def test_screen_place_names_not_flagged():
    assert screen_words("Fittja, Kukkola, Kuksu och horisonten") == []


def test_screen_word_inside_longer_word_not_flagged():
    assert screen_words("idioterna fanns", "idiot", "fan") == []


def test_screen_prefix_term_matches_longer_token():
    assert screen_words("Jävlarna!", "jävl*") == [(0, 8, "Jävlarna", "jävl*")]


def test_screen_prefix_term_inside_word_not_flagged():
    assert screen_words("ojävlig", "jävl*") == []


def test_screen_exact_term_preferred_over_prefix_one_hit():
    assert screen_words("jävla", "jävl*", "jävla") == [(0, 5, "jävla", "jävla")]


def test_screen_allow_list_suppresses_prefix_hit():
    hits = screen_words("Kukkola och kukhuvud", "kuk*", allow=("Kukkola",))
    assert hits == [(12, 20, "kukhuvud", "kuk*")]


def test_screen_allow_list_prefix_entry_suppresses():
    assert screen_words("Fittjaskolan", "fitt*", allow=("Fittja*",)) == []
    assert screen_words("fittan", "fitt*", allow=("Fittja*",)) == [(0, 6, "fittan", "fitt*")]


def test_screen_allow_list_hyphenated_exception_suppresses():
    assert screen_words("Kuk-kola", "kuk", allow=("Kukkola",)) == []


def test_screen_multiword_term_across_punctuation_flagged():
    assert screen_words("Dra åt, helvete!") == [(0, 15, "Dra åt, helvete", "dra åt helvete")]


def test_screen_words_of_two_detectors_both_reported():
    screener = Screener([words("idiot", id=1), words("idiot", id=2, rule="hate")])
    assert [(h.detector_id, h.rule, h.start, h.end) for h in screener.screen("idiot")] == [
        (1, "profanity", 0, 5),
        (2, "hate", 0, 5),
    ]


def test_screen_term_with_nothing_to_match_recorded_in_errors():
    screener = Screener([words("idiot", "!!!")])
    assert screener.errors == [(1, "!!!", "nothing left to match after normalising")]


# --------------------------------------------------------------------------- normal form


def test_normalize_obfuscated_text_maps_offsets():
    assert normalize("Jääävla  H.o.r.a, 2026!") == (
        "jävla h o r a 2026",
        [0, 1, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 21],
    )


def test_normalize_digits_without_letters_not_leet():
    assert normalize("h0ra 070-123 2026")[0] == "hora 070 123 2026"


def test_normalize_zero_width_dropped_offsets_skip_it():
    assert normalize("a\u200bb") == ("ab", [0, 2])


def test_prepare_fast_form_equals_offset_form():
    texts = ["", " ", "  a  ", "Jääävla  H.o.r.a, 2026!", "ab\u200bba", "Привет мир hоra", "x", "ALLA ska   dö!!"]
    for text in texts:
        p = prepare(text)
        full = "".join(ch for i, ch in enumerate(p.padded) if i not in set(p.collapsed))
        assert p.form == full, text


# --------------------------------------------------------------------------- patterns


def patterns(*terms, id=3):
    return DetectorSpec(id=id, kind="pattern", rule="advertising", terms=tuple(terms))


def test_screen_pattern_case_insensitive_span():
    hits = Screener([patterns(r"\bköp\s+billig\w*")]).screen("Nu: KÖP  Billiga klockor")
    assert spans(hits) == [(4, 16, "KÖP  Billiga", r"\bköp\s+billig\w*")]


def test_screen_overlapping_patterns_all_reported():
    hits = Screener([patterns(r"köp\s+billig", r"billig\w*")]).screen("köp billiga")
    assert spans(hits) == [(0, 10, "köp billig", r"köp\s+billig"), (4, 11, "billiga", r"billig\w*")]


def test_screen_pattern_all_matches_reported():
    hits = Screener([patterns(r"\bvinn\b")]).screen("vinn, vinn och VINN")
    assert [(h.start, h.end) for h in hits] == [(0, 4), (6, 10), (15, 19)]


def test_screen_pattern_with_digits_in_literal_found():
    hits = Screener([patterns(r"covid-?19")]).screen("Covid19 och COVID-19")
    assert [(h.start, h.end) for h in hits] == [(0, 7), (12, 20)]


def test_screen_pattern_without_literal_found():
    screener = Screener([patterns(r"[!?]{3,}", r"\b\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}\b", r"(.)\1{5,}")])
    hits = screener.screen("Kort 1234 5678 9012 3456!!! Neeeeeej")
    assert spans(hits) == [
        (5, 24, "1234 5678 9012 3456", r"\b\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}\b"),
        (24, 27, "!!!", r"[!?]{3,}"),
        (29, 35, "eeeeee", r"(.)\1{5,}"),
    ]


def test_screen_pattern_decomposed_text_still_found():
    hits = Screener([patterns(r"besa[\u0300-\u036f]?ker")]).screen("Vi besa\u030aker er")
    assert [(h.start, h.end) for h in hits] == [(3, 11)]


def test_screen_invalid_pattern_recorded_in_errors():
    screener = Screener([patterns("(", r"\bok\b")])
    assert [(e[0], e[1]) for e in screener.errors] == [(3, "(")]
    assert [(h.start, h.end) for h in screener.screen("ok")] == [(0, 2)]


def test_required_literals_phrase_pattern_literal():
    assert required_literals(r"\bköp\s+billig\w*") == ["bilig"]  # normal form: runs collapsed
    assert required_literals(r"(?:klicka|tryck)\s+här") == ["klicka", "tryck"]
    assert required_literals(r"\b\d{6}[-+]?\d{4}\b") is None


def test_literal_form_regex_case_equivalents_same_form():
    # literal gating is only safe if every character re.IGNORECASE equates with a literal's
    # character normalises to the same thing
    from moderation.screening.patterns import _safe, literal_form

    candidates = [chr(x) for x in range(0x2200)] + ["\u212a", "\u212b", "\u1e9e"]
    for code in range(256):
        c = chr(code)
        if not _safe(c) or not c.isalpha():
            continue
        rx = re.compile(re.escape(c), re.I)
        for other in candidates:
            if rx.fullmatch(other):
                assert literal_form(other) == literal_form(c), (c, other)


def test_gate_regex_leading_boundary_moved_behind_first_character():
    assert gate_regex(r"\b\d{2}x") == r"[\d](?<!\w[\s\S])(?i:(?:[\d]){1,1}\x78)"
    assert gate_regex(r"\b[a-z]{5}") is None


def test_pattern_set_random_texts_same_as_plain_finditer():
    pats = [
        r"\bköp\s+billig\w*", r"(?:klicka|tryck)\s+här", r"covid-?19", r"[!?]{3,}", r"\bSE\d{2}\s?\d{4}",
        r"\b\d{4}[ -]?\d{4}\b", r"(.)\1{3,}", r"\b[a-zåäö]{12,}\b", r"(?:\$|€|£)\s*\d{2,}", r"@\w+\s+@\w+",
        r"\b(?:\d{1,3}\.){3}\d{1,3}\b", r"k[oö]p", r"\bSTOP\b", r"ſtop", r"ÅKE", r"\b(?:[a-z]\s){3,}[a-z]\b",
        r"(?i:Ab)c", r"a\B", r"\b[A-Z]{2}\d{3,}\b", r"x{0,2}y+", r"[^\s]{15,}", r"\d+%",
    ]  # fmt: skip
    fragments = [
        "köp", "KÖP", "Köp", "billiga", "BILLIG", "klicka", "TRYCK", "här", "covid", "19", "-", "!", "?", "SE",
        "12", "1234", " ", "  ", ".", "aaaa", "å", "Å", "\u212b", "KE", "ke", "$", "€", "£", "@", "x", "y", "ab",
        "AB", "c", "stop", "STOP", "\u017ftop", "\u212a", "192.168.0.1", "%", "z", "\u200b", "o\u0308", "a\u030a",
        "\U0001F4B0", "\n", "SE45 5000", "långaordetärhär",
    ]  # fmt: skip
    rng = random.Random(7)
    plain = [re.compile(p, re.I) for p in pats]
    pset = PatternSet([(i, p) for i, p in enumerate(pats)])
    screener = Screener([patterns(*pats)])
    for _ in range(1500):
        text = "".join(rng.choice(fragments) for _ in range(rng.randint(1, 25)))
        expected = sorted(
            (m.start(), m.end(), p)
            for p, rx in zip(pats, plain, strict=True)
            for m in rx.finditer(text)
            if m.end() > m.start()
        )
        got = sorted((h.start, h.end, h.term) for h in screener.screen(text))
        assert got == expected, text
    assert len(pset) == len(pats)


def test_gate_regex_random_texts_never_starts_after_pattern():
    pats = [r"\b\d{4}[ -]?\d{4}\b", r"\bSE\d{2}", r"(?:\$|€)\s*\d+", r"[!?]{2,}", r"#\w+", r"\bk\w+", r"\b[-+]\d"]
    rng = random.Random(11)
    alphabet = "abkKseSE0129 -!?#$€\u212a\u017f_."
    for p in pats:
        src = gate_regex(p)
        assert src is not None, p
        gate, rx = re.compile(src), re.compile(p, re.I)
        for _ in range(2000):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
            m = rx.search(text)
            if m:
                g = gate.search(text)
                assert g is not None and g.start() <= m.start(), (p, text)


# --------------------------------------------------------------------------- phone, e-mail, links


def test_find_phone_numbers_swedish_formats_found():
    numbers = [
        "070-123 45 67", "070 123 45 67", "0701234567", "070-1234567", "+46 70 123 45 67", "+46701234567",
        "0046 70 123 45 67", "+46 (0)70-123 45 67", "0240-860 00", "08-123 456 78", "013-20 60 00",
        "(08) 123 456 78",
    ]  # fmt: skip
    text = "; ".join(numbers)
    found = [text[s:e] for s, e in find_phone_numbers(text)]
    assert found == numbers


def test_find_phone_numbers_years_amounts_dates_not_found():
    text = (
        "År 2026 kostade det 12 000 kr, mötet 2026-11-21 och 01-02-2026 kl. 08.00-17.00, "
        "pnr 811218-9876, orgnr 212000-0142, tel 070-123 45, 1 234 567 890"
    )
    assert find_phone_numbers(text) == []


def test_find_phone_numbers_trailing_digits_dropped_or_next_number_found():
    text = "0701234567 0701234567, ring 070-123 45 67 2026"
    assert [text[s:e] for s, e in find_phone_numbers(text)] == ["0701234567", "0701234567", "070-123 45 67"]


def test_find_phone_numbers_glued_to_word_not_found():
    assert find_phone_numbers("id x0701234567 och 90701234567") == []


def test_find_emails_plain_and_obfuscated_found():
    text = "Mejla anna.svensson@exempel.se, bo (at) kommun.se eller eva [at] exempel [punkt] se."
    assert [text[s:e] for s, e in find_emails(text)] == [
        "anna.svensson@exempel.se",
        "bo (at) kommun.se",
        "eva [at] exempel [punkt] se",
    ]


def test_find_emails_mentions_and_bare_at_not_found():
    assert find_emails("Hej @kommunen och a@b samt @ here") == []


def test_find_links_urls_and_bare_domains_found():
    text = "Se https://www.kommun.se/sida?x=1. Eller www.spam.com, exempel.se/sida och (bit.ly/abc)."
    assert [(text[s:e], host) for s, e, host in find_links(text)] == [
        ("https://www.kommun.se/sida?x=1", "www.kommun.se"),
        ("www.spam.com", "www.spam.com"),
        ("exempel.se/sida", "exempel.se"),
        ("bit.ly/abc", "bit.ly"),
    ]


def test_find_links_abbreviations_times_and_email_domains_not_found():
    assert find_links("t.ex. bl.a. s.k. kl. 18.00, 3.5 mil, slut.Nästa, mejla anna@kommun.se") == []


def test_screen_link_allowed_domain_and_subdomain_not_flagged():
    screener = Screener([DetectorSpec(8, "link", "harmful_link", allow=("kommun.se",))])
    text = "Läs https://kommun.se/a och www.sub.kommun.se men inte kommun.se.evil.com"
    assert spans(screener.screen(text)) == [(55, 73, "kommun.se.evil.com", "kommun.se.evil.com")]


def test_screen_link_domain_blocklist_subdomains_flagged():
    screener = Screener([DetectorSpec(9, "link_domain", "harmful_link", terms=("spam.com", "https://bit.ly/"))])
    text = "Klicka www.spam.com, go.spam.com/x, bit.ly/abc men inte notspam.com"
    assert spans(screener.screen(text)) == [
        (7, 19, "www.spam.com", "spam.com"),
        (21, 34, "go.spam.com/x", "spam.com"),
        (36, 46, "bit.ly/abc", "bit.ly"),
    ]


def test_screen_link_domain_allow_overrides_block():
    spec = DetectorSpec(9, "link_domain", "harmful_link", terms=("spam.com",), allow=("ok.spam.com",))
    assert spans(Screener([spec]).screen("ok.spam.com och x.spam.com")) == [(16, 26, "x.spam.com", "spam.com")]


# --------------------------------------------------------------------------- everything together


def all_detectors():
    return [
        words(*PROFANITY, allow=("Fittja", "Kukkola")),
        patterns(r"\bköp\s+billig\w*"),
        DetectorSpec(4, "identity_number", "gdpr", "hold"),
        DetectorSpec(5, "phone", "gdpr"),
        DetectorSpec(6, "email", "gdpr"),
        DetectorSpec(7, "link", "harmful_link", allow=("kommun.se",)),
    ]


def test_screen_several_detectors_sorted_exact_hits():
    text = "Din j-vla idiot, köp billiga grejer på spam.se, ring 070-123 45 67 eller mejla a@b.se, pnr 811218-9876."
    hits = Screener(all_detectors()).screen(text)
    assert [(h.detector_id, h.kind, h.action, h.start, h.end, h.matched, h.term) for h in hits] == [
        (1, "words", "flag", 4, 9, "j-vla", "jävla"),
        (1, "words", "flag", 10, 15, "idiot", "idiot"),
        (3, "pattern", "flag", 17, 28, "köp billiga", r"\bköp\s+billig\w*"),
        (7, "link", "flag", 39, 46, "spam.se", "spam.se"),
        (5, "phone", "flag", 53, 66, "070-123 45 67", "phone"),
        (6, "email", "flag", 79, 85, "a@b.se", "email"),
        (4, "identity_number", "hold", 91, 102, "811218-9876", "personnummer"),
    ]


def test_screen_hit_spans_point_into_original_text():
    text = "Ｈｅｊ fi\u200btta!! Jääävla h.0.r.a, C.P och 𝐢𝐝𝐢𝐨𝐭 😀 kn1a ja\u0308vlar 811278-9873"
    hits = Screener(all_detectors()).screen(text)
    assert all(text[h.start : h.end] == h.matched for h in hits)
    assert [h.matched for h in hits] == [
        "fi\u200btta", "Jääävla", "h.0.r.a", "C.P", "𝐢𝐝𝐢𝐨𝐭", "ja\u0308vlar", "811278-9873",
    ]  # fmt: skip


def test_screen_empty_text_no_hits():
    assert Screener(all_detectors()).screen("") == []
    assert Screener(all_detectors()).screen("   \n") == []


def test_screen_no_detectors_no_hits():
    assert Screener([]).screen("jävla idiot 811218-9876") == []


def test_screen_long_text_finishes_fast():
    chunk = "Vi i kommunen tycker att en jävla massa saker borde bli bättre, ring 070-123 45 67! t.ex. www.x.se "
    text = (chunk * (20_000 // len(chunk) + 1))[:20_000]
    screener = Screener(all_detectors())
    screener.screen(text[:300])
    started = time.perf_counter()
    hits = screener.screen(text)
    elapsed = time.perf_counter() - started
    assert elapsed < 0.5
    assert sum(1 for h in hits if h.term == "jävla") == text.count("jävla")


def test_hit_set_attribute_raises_and_compares_by_value():
    hit = Hit(1, "profanity", "words", "flag", 0, 5, "jävla", "jävla")
    assert hit == Hit(1, "profanity", "words", "flag", 0, 5, "jävla", "jävla")
    try:
        hit.start = 3  # type: ignore[misc]
    except AttributeError:
        pass
    else:  # pragma: no cover
        raise AssertionError("Hit must be frozen")
