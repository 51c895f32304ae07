"""The classifier on postings written for these tests: duties decide, titles only nudge."""

from __future__ import annotations

from pathlib import Path

import pytest

from roleplan.benchmarks import load_classifier
from roleplan.core.classify import classify, compile_config, normalise
from roleplan.loaders.jd import batch_text  # the loader removes markup; the classifier reads plain text
from roleplan.models.classify import FAMILIES, RoleClassification
from roleplan.models.classify_config import ClassifyConfig, expand

FIXTURES = Path(__file__).parent.parent / "fixtures" / "classify"


@pytest.fixture(scope="module")
def config() -> ClassifyConfig:
    return load_classifier()


def _run(name: str, config: ClassifyConfig, *, company: str | None = None) -> RoleClassification:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    title = text.split("\n", 1)[0].replace('<div class="job"><h2>', "").replace("</h2>", "")
    return classify(batch_text(text), title=title, company=company, config=config)


# (fixture, family, role)
CASES = [
    ("se_boilerplate.txt", "se", "sales_engineer"),
    ("html_se.html", "se", "sales_engineer"),
    ("presales_sa_platform.txt", "se", "sales_engineer"),
    ("ae_mentions_se.txt", "other", "account_executive"),
    ("implementation_engineer.txt", "sa", "implementation_engineer"),
    ("postsales_sa.txt", "sa", "solutions_architect"),
    ("csm.txt", "other", "customer_success_manager"),
    ("support_engineer.txt", "other", "support_engineer"),
    ("product_manager.txt", "other", "product_manager"),
    ("sdr.txt", "other", "sdr"),
    ("software_engineer.txt", "other", "software_engineer"),
    ("hybrid.txt", "hybrid", "se_sa_hybrid"),
    ("cloud_customer_engineer.txt", "se", "sales_engineer"),
    ("hw_se.txt", "se", "sales_engineer"),
    ("paragraph_se.txt", "se", "sales_engineer"),
    ("sa_occasional_presales.txt", "sa", "solutions_architect"),
    ("partner_sa.txt", "sa", "solutions_architect"),
    ("ps_consultant.txt", "sa", "implementation_manager"),
    ("support_se.txt", "other", "support_engineer"),
    ("tech_csm.txt", "other", "customer_success_manager"),
    ("tam.txt", "other", "technical_account_manager"),
    ("account_manager.txt", "other", "account_executive"),
    ("devrel.txt", "other", "developer_support_engineer"),
    ("intro_heavy_se.txt", "se", "sales_engineer"),
    ("intro_heavy_ae.txt", "other", "account_executive"),
    ("field_service_customer_engineer.txt", "other", "support_engineer"),
    ("sales_enablement.txt", "other", "trainer"),
    ("onboarding_specialist.txt", "other", "customer_success_manager"),
    ("hybrid_migration.txt", "hybrid", "se_sa_hybrid"),
    ("se_manager.txt", "se", "sales_engineer"),
    ("product_marketing.txt", "other", "product_marketing_manager"),
    ("proposal_manager.txt", "other", "proposal_manager"),
    ("deal_desk.txt", "other", "sales_operations"),
    ("value_engineer.txt", "se", "sales_engineer"),
    ("se_battlecards.txt", "se", "sales_engineer"),
    ("se_what_you_get_to_do.txt", "se", "sales_engineer"),
    ("hybrid_after_purchase.txt", "hybrid", "se_sa_hybrid"),
]


@pytest.mark.parametrize(("name", "family", "role"), CASES)
def test_duties_decide_without_a_title(name: str, family: str, role: str, config: ClassifyConfig) -> None:
    r = classify((FIXTURES / name).read_text(encoding="utf-8"), config=config)
    assert r.family == family, r.evidence


@pytest.mark.parametrize(("name", "family", "role"), CASES)
def test_fixture_family_and_role(name: str, family: str, role: str, config: ClassifyConfig) -> None:
    r = _run(name, config)
    assert (r.family, r.role) == (family, role), r.evidence
    assert 0.0 <= r.confidence <= 1.0
    assert r.evidence, "a decision always shows its evidence"
    weights = [e.weight for e in r.evidence]
    assert weights == sorted(weights, reverse=True)
    assert r.soc.code == config.roles[role].soc


def test_presales_sa_at_a_platform_company_is_se_with_title_mismatch(config: ClassifyConfig) -> None:
    r = _run("presales_sa_platform.txt", config, company="Datadog")
    assert r.family == "se"
    assert r.title_family == "sa"
    assert r.title_mismatch
    assert r.title_note is not None and "pre-sales" in r.title_note
    assert r.soc.code == "41-9031.00"


def test_company_map_decides_a_title_only_posting(config: ClassifyConfig) -> None:
    plain = classify("", title="Solutions Architect", company="Acme", config=config)
    mapped = classify("", title="Solutions Architect", company="MongoDB, Inc.", config=config)
    assert plain.family == "sa"
    assert mapped.family == "se"
    assert mapped.confidence < config.decision.review_below  # title alone: needs a human look
    assert mapped.needs_review


def test_post_sales_solutions_engineer_title_is_flagged(config: ClassifyConfig) -> None:
    text = (FIXTURES / "implementation_engineer.txt").read_text(encoding="utf-8")
    r = classify(text, title="Solutions Engineer", config=config)
    assert r.family == "sa"
    assert r.title_family == "se"
    assert r.title_mismatch


def test_a_colleague_s_duties_are_discounted(config: ClassifyConfig) -> None:
    with_colleague = "Partner with Sales Engineers to deliver product demos and proofs of concept."
    own_duty = "Deliver product demos and proofs of concept."
    a = classify(with_colleague, config=config)
    b = classify(own_duty, config=config)
    assert a.scores["se"] < b.scores["se"] * 0.5


def test_negation_cancels_a_duty(config: ClassifyConfig) -> None:
    a = classify("You will carry a quota.", config=config)
    b = classify("You will not carry a quota.", config=config)
    assert a.scores["other"] > 0
    assert b.scores["other"] == 0
    assert b.role == "unknown"


@pytest.mark.parametrize("contraction", ["won't", "don't", "doesn’t", "isn't", "WON'T"])
def test_a_negative_contraction_cancels_a_duty(contraction: str, config: ClassifyConfig) -> None:
    assert classify(f"You {contraction} run product demos.", config=config).scores["se"] == 0
    assert classify(f"You {contraction} just run product demos.", config=config).scores["se"] > 0


def test_not_just_is_not_a_negation(config: ClassifyConfig) -> None:
    assert classify("You will do not just demos.", config=config).scores["se"] > 0
    assert classify("You will do no demos.", config=config).scores["se"] == 0


def test_boilerplate_counts_for_nothing(config: ClassifyConfig) -> None:
    duties = "Responsibilities\n- Run technical discovery, demos and proofs of concept with prospects.\n"
    eeo = (
        "We are an equal opportunity employer and value diversity; we implement onboarding, implementation "
        "and deployment of accommodations without regard to race or religion.\n"
    )
    assert classify(duties, config=config).scores == classify(duties + eeo, config=config).scores


def test_sections_weigh_duties(config: ClassifyConfig) -> None:
    duties = "- Plan data migrations and integration design for customers\n"
    main = classify("Responsibilities\n" + duties, config=config)
    nice = classify("Responsibilities\n- Answer questions\nNice to have\n" + duties, config=config)
    about = classify("About us\n" + duties + "Responsibilities\n- Answer questions\n", config=config)
    assert main.scores["sa"] > nice.scores["sa"] > 0
    assert main.scores["sa"] > about.scores["sa"]


def test_html_reads_like_text(config: ClassifyConfig) -> None:
    html = batch_text("<ul><li>Run <b>technical discovery</b></li><li>Deliver demos &amp; POCs</li></ul>")
    text = "- Run technical discovery\n- Deliver demos & POCs\n"
    assert classify(html, config=config).scores == classify(text, config=config).scores
    assert "<" not in normalise(html)


def test_script_contents_are_ignored(config: ClassifyConfig) -> None:
    r = classify(batch_text("<p>Hello</p><script>var x = 'demo poc rfp';</script>"), config=config)
    assert r.scores["se"] == 0


def test_empty_text_is_unknown_with_zero_confidence(config: ClassifyConfig) -> None:
    r = classify("", config=config)
    assert (r.family, r.role, r.confidence) == ("other", "unknown", 0.0)
    assert r.needs_review
    assert not r.title_mismatch


def test_repeats_count_less(config: ClassifyConfig) -> None:
    once = classify("Run demos.", config=config).scores["se"]
    many = classify("Run demos. " * 50, config=config).scores["se"]
    assert once < many < once * (1 / (1 - config.decision.repeat_decay)) + 1e-9


def test_every_family_is_valid(config: ClassifyConfig) -> None:
    for name, *_ in CASES:
        assert _run(name, config).family in FAMILIES


def test_compiled_once_per_config(config: ClassifyConfig) -> None:
    assert compile_config(config) is compile_config(config)


@pytest.mark.parametrize(
    "text", ["DEMO<\x00<0", "\x00 \x01 demo", " ", "<<<>>>", "&amp;&#x27;&bogus;", "\ud800 demo"]
)
def test_odd_input_never_breaks(text: str, config: ClassifyConfig) -> None:
    r = classify(text, title=text, company=text, config=config)
    assert r.family in FAMILIES


def test_a_company_blurb_before_the_headings_counts_little(config: ClassifyConfig) -> None:
    duties = "Responsibilities\n- Prospect, run the full sales cycle and close new business.\n"
    blurb = "Acme helps engineering teams run demos, sandboxes and proofs of concept.\n"
    plain = "We run demos, sandboxes and proofs of concept.\n"
    assert (
        classify(blurb + duties, config=config).scores["se"]
        < classify(plain + duties, config=config).scores["se"]
    )


def test_every_signal_phrase_passes_the_anchor_filter(config: ClassifyConfig) -> None:
    """The classifier skips a segment without the anchor pair of some signal phrase; that must never hide one."""
    c = compile_config(config)
    for signal in config.signals.values():
        for phrase in signal.phrases:
            for words in expand(phrase):
                partners = [c.partners[a] for a in c.anchors.intersection(words)]
                assert any(p is None or not p.isdisjoint(words) for p in partners), words


def test_a_signal_is_found_in_a_segment_of_common_words(config: ClassifyConfig) -> None:
    """Segments full of common words are skipped only when no phrase can be there: these still count."""
    plain = classify("We value your time.\nRun product demos for prospects.", config=config)
    assert plain.family == "se"
    assert any(e.signal.startswith("presales.") for e in plain.evidence)


def test_pre_and_post_sales_counts_for_both_sides(config: ClassifyConfig) -> None:
    # "pre- and post-sales" reads `pre and post sales`: it must not count as post-sales alone
    for text in ("Provide pre- and post-sales technical guidance.", "Work across pre-sales and post-sales."):
        r = classify(text, config=config)
        assert r.scores["se"] == r.scores["sa"] > 0, r.evidence


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("Own the technical relationship once the contract is signed.", "sa"),
        ("Take over after the deal is closed.", "sa"),
        ("Join at contract signature.", "sa"),
        ("Work with newly signed customers.", "sa"),
        ("Your work begins once the customer has signed.", "sa"),
        # the post-sale wording of vendor postings
        ("Work with customers who have purchased the platform.", "sa"),
        ("Guide migrations from legacy tools.", "sa"),
        ("Design the customer deployment and lead technical onboarding.", "sa"),
        ("After the order, commission the line on site.", "sa"),
        # pre-sales wording outside software
        ("Write the technical part of the offer.", "se"),
        ("Present and demonstrate the machines in our showroom.", "se"),
        ("Work on opportunities that are not yet signed.", "se"),
    ],
)
def test_before_or_after_the_sale_wording_counts_for_one_side(
    text: str, side: str, config: ClassifyConfig
) -> None:
    r = classify(text, config=config)
    assert r.scores[side] > 0 and r.scores[{"se": "sa", "sa": "se"}[side]] == 0, r.evidence


@pytest.mark.parametrize(
    ("heading", "section"),
    [
        ("What you get to do in this role:", "responsibilities"),  # ServiceNow: not "what you get" (benefits)
        ("On day one, we will expect you to have:", "requirements"),  # Snowflake
        ("The ideal candidate will have:", "requirements"),
        ("You should have:", "requirements"),
        ("You'll need", "requirements"),
        ("Who you'll work with", "company"),  # colleagues' work: "our SEs run proofs of concept"
        ("People you will be partnering with:", "company"),
        # the headings of many European postings
        ("Your tasks", "responsibilities"),
        ("Tasks and responsibilities:", "responsibilities"),
        ("Your profile", "requirements"),
        ("What we expect from you", "requirements"),
        ("Why this role is different", "responsibilities"),  # about the seat, unlike "Why Acme"
        ("Why Acme", "company"),
    ],
)
def test_vendor_headings_open_their_section(heading: str, section: str, config: ClassifyConfig) -> None:
    r = classify(f"Benefits\n- Paid time off\n{heading}\n- Run proofs of concept", config=config)
    assert [e.where for e in r.evidence if e.signal == "presales.poc"] == [section], r.evidence


def test_a_duty_that_starts_like_a_heading_stays_a_duty(config: ClassifyConfig) -> None:
    text = "Responsibilities\n- You'll need to run proofs of concept\n- Who you'll work with matters less"
    r = classify(text + "\n- Scope proofs of value", config=config)
    assert {e.where for e in r.evidence if e.signal == "presales.poc"} == {"responsibilities"}, r.evidence


def test_the_title_neither_makes_nor_breaks_a_hybrid(config: ClassifyConfig) -> None:
    presales = (
        "Responsibilities\n- Run discovery calls and tailored product demos with prospects.\n"
        "- Scope and run proofs of concept alongside the account executive.\n"
    )
    some_post_sale = (
        "- Design reference architectures for the customer's platform team.\n- Own the go-live.\n"
    )
    both = some_post_sale + "- Plan the data migration.\n"
    for title in (None, "Solutions Architect", "Sales Engineer"):
        # the SA title's prior would lift the post-sale score past the hybrid bar; the duties alone do not
        assert classify(presales + some_post_sale, title=title, config=config).family == "se", title
        assert classify(presales + both, title=title, config=config).family == "hybrid", title


@pytest.mark.parametrize(
    "cue",
    [
        "You follow each customer from the first demo to go-live.",
        "This role spans the whole customer lifecycle.",
        "Expect to split your time between new deals and delivery.",
        "You work with customers before and after the sale.",
    ],
)
def test_a_posting_that_says_it_covers_both_sides_needs_less_post_sale_work_to_be_hybrid(
    cue: str, config: ClassifyConfig
) -> None:
    presales = (
        "Responsibilities\n- Run discovery calls and tailored product demos with prospects.\n"
        "- Scope and run proofs of concept alongside the account executive.\n"
    )
    some_post_sale = (
        "- Design reference architectures for the customer's platform team.\n- Own the go-live.\n"
    )
    assert classify(presales + some_post_sale, config=config).family == "se"
    r = classify(cue + "\n" + presales + some_post_sale, config=config)
    assert r.family == "hybrid", r.scores
    assert any(e.signal == "both.lifecycle" for e in r.evidence), r.evidence
    # the cue lowers the bar, it does not replace the duties: with no post-sale work it is still pre-sales
    assert classify(cue + "\n" + presales, config=config).family == "se"


def test_an_internal_architect_is_not_a_customer_facing_seat(config: ClassifyConfig) -> None:
    text = (
        "About the role\nThis is an internal role in the IT department of a regional insurer; your "
        "stakeholders are colleagues in claims and finance.\n"
        "What you'll do\n- Design solutions for the claims platform and document them for the Design Authority.\n"
        "- Plan the migration of the policy system to the cloud and design its integrations.\n"
        "- Run vendor selections for new tools.\n"
        "What you bring\n- Experience with TOGAF and enterprise architecture.\n"
    )
    r = classify(text, title="Solutions Architect", config=config)
    assert (r.family, r.role) == ("other", "internal_architect"), r.evidence
    assert r.soc.code == "15-1299.08" and r.title_mismatch
    # the same duties for a vendor's customers stay post-sales
    vendor = text.split("What you'll do\n", 1)[1].replace("Design Authority", "customer's platform team")
    vendor = vendor.replace("Run vendor selections for new tools", "Lead go-lives for newly signed customers")
    vendor = vendor.replace("TOGAF and enterprise architecture", "cloud architectures")
    assert classify(vendor, title="Solutions Architect", config=config).family == "sa"


def test_a_seat_whose_users_are_the_ses_is_not_pre_sales(config: ClassifyConfig) -> None:
    duties = (
        "Responsibilities\n- Own the roadmap for the demo environments and trial sandboxes.\n"
        "- Make tailored demos and proofs of concept faster to set up.\n"
        "- Sit in on discovery calls and demos to learn where they break.\n"
        "- Write product requirements and prioritise the backlog with engineering.\n"
    )
    assert classify(duties, config=config).family == "se"  # read alone, the duties are the SEs'
    r = classify("Your primary users are solutions engineers.\n" + duties, config=config)
    assert (r.family, r.role) == ("other", "product_manager"), r.scores
    assert any(e.signal == "other.serves_field" for e in r.evidence), r.evidence


@pytest.mark.parametrize("line", ["Remote (US)", "Hybrid - 3 days in the office", "Location: Berlin"])
def test_a_location_line_does_not_hide_the_duties_after_it(line: str, config: ClassifyConfig) -> None:
    text = f"Sales Engineer | Acme | {line}\n\nRun discovery and build proofs of value with prospects.\n"
    r = classify(text, config=config)
    assert r.family == "se" and r.scores["se"] >= 4, r.evidence


def test_measuring_the_ses_work_is_not_doing_it(config: ClassifyConfig) -> None:
    text = (
        "Responsibilities\n- Build the SE capacity model from deal size and segment.\n"
        "- Report POC cycle times and POC win rates to sales leadership.\n"
    )
    r = classify(text, config=config)
    assert (r.family, r.role) == ("other", "sales_operations"), r.evidence
    assert r.scores["se"] == 0, r.evidence


def test_what_the_company_sells_is_not_the_seat_s_duty(config: ClassifyConfig) -> None:
    pitch = "Acme builds software for running product trials and pilots. "
    duties = "Responsibilities\n- Own the roadmap and write specs with engineering.\n"
    r = classify(pitch + duties, config=config)
    assert {e.where for e in r.evidence if e.signal == "presales.poc"} == {"company"}, r.evidence
    assert classify("Run product trials and pilots. " + duties, config=config).scores["se"] > r.scores["se"]


def test_building_the_demo_platform_is_engineering(config: ClassifyConfig) -> None:
    text = (
        "What you'll do\n- Build the demo platform our Sales Engineers launch demo environments from.\n"
        "- Own the demo tooling and demo infrastructure: provisioning, resets, monitoring.\n"
    )
    r = classify(text, title="Demo Platform Engineer", config=config)
    assert (r.family, r.role) == ("other", "software_engineer"), r.evidence


def test_signing_up_is_not_after_the_sale(config: ClassifyConfig) -> None:
    assert classify("Help customers after they sign up.", config=config).scores["sa"] == 0


def test_new_customers_alone_is_not_pre_sales(config: ClassifyConfig) -> None:
    assert classify("Run onboarding for new customers.", config=config).scores["se"] == 0
    assert classify("Win new customers in your region.", config=config).scores["se"] > 0


def test_managing_ses_is_se_managing_aes_is_other(config: ClassifyConfig) -> None:
    se_mgr = classify("Hire, coach and develop a team of Solutions Engineers.", config=config)
    ae_mgr = classify("Hire, coach and develop a team of Account Executives.", config=config)
    assert se_mgr.family == "se"
    assert (ae_mgr.family, ae_mgr.role) == ("other", "account_executive")


def test_a_colleague_s_battlecards_are_discounted(config: ClassifyConfig) -> None:
    # an SE who keeps the battlecards current "with product marketing": the battlecards are marketing's
    own = classify("Maintain competitive battlecards and win/loss analysis.", config=config)
    shared = classify("Maintain battlecards and win/loss analysis with product marketing.", config=config)
    assert (own.family, own.role) == ("other", "product_marketing_manager")
    assert shared.scores["other"] < own.scores["other"] * 0.5


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Own positioning and messaging and plan product launches.", "product_marketing_manager"),
        ("Write demo scripts and demo videos for each launch.", "product_marketing_manager"),
        ("Manage the proposal schedule, compliance matrix and win themes.", "proposal_manager"),
        ("Approve quotes in CPQ and check order forms before signature.", "sales_operations"),
    ],
)
def test_go_to_market_duties_that_talk_about_the_sale_are_other(
    text: str, role: str, config: ClassifyConfig
) -> None:
    r = classify(text, config=config)
    assert (r.family, r.role) == ("other", role), r.evidence


def test_rfps_alone_are_still_pre_sales(config: ClassifyConfig) -> None:
    # the RFP is the SE's duty too: only the proposal process vocabulary makes it a proposal manager's seat
    assert classify("Respond to RFPs and security questionnaires.", config=config).family == "se"


def test_value_engineering_is_pre_sales_and_coaching_sellers_is_not_managing(config: ClassifyConfig) -> None:
    assert classify("Build ROI models and lead value discovery with prospects.", config=config).family == "se"
    coach = classify("Coach sellers on value selling.", config=config)
    assert coach.family == "se" and coach.scores["other"] == 0, coach.evidence
    assert classify("", title="Value Engineer", config=config).family == "se"


def test_entity_escaped_html_keeps_its_sections(config: ClassifyConfig) -> None:
    """Greenhouse's API returns `&lt;p&gt;`: headings and paragraphs must survive as they do in real HTML."""
    raw = (
        "<h3>About us</h3><p>We run demos of our product.</p>"
        "<h3>Responsibilities</h3><ul><li>Lead data migration and go-live for new customers</li>"
        "<li>Design reference architectures</li></ul>"
    )
    escaped = raw.replace("<", "&lt;").replace(">", "&gt;")
    assert normalise(batch_text(escaped)) == normalise(batch_text(raw))
    assert classify(batch_text(escaped), config=config) == classify(batch_text(raw), config=config)


def test_what_the_job_is_not_is_someone_else_s_work(config: ClassifyConfig) -> None:
    # a seat that lists what it does NOT do: those duties belong to another team
    text = (
        "What the job is\n- Run discovery workshops and two-week POCs with prospects\n"
        "- Answer security questionnaires\n"
        "What the job isn't\n- Data migrations and go-live projects\n- Production runbooks\n"
    )
    r = classify(text, config=config)
    assert r.family == "se" and r.scores["sa"] == 0, r.evidence
    listed = classify(text.replace("What the job isn't", "Also"), config=config)
    assert listed.scores["sa"] > 0  # the same lines under another heading count


def test_work_another_team_handles_is_not_the_seat_s(config: ClassifyConfig) -> None:
    own = "Lead data migrations, low-level design and go-live for new customers."
    theirs = "Post-contract data migrations, low-level design and go-live are handled by our Delivery team."
    assert classify(own, config=config).scores["sa"] > 0
    assert classify(theirs, config=config).scores["sa"] == 0


def test_commissioning_on_site_is_post_sale_work(config: ClassifyConfig) -> None:
    r = classify(
        "Commissioning of the drives at the customer site and the commissioning protocol.", config=config
    )
    assert r.family == "sa", r.evidence
    assert classify("Attractive salary with commission.", config=config).scores["sa"] == 0


@pytest.mark.parametrize(
    "cue",
    [
        "Approximately half of your activity is the offer phase, the other half is commissioning.",
        "You accompany the customer from the first request until the start of the machine.",
    ],
)
def test_industrial_wording_for_one_seat_on_both_sides_is_a_hybrid_cue(
    cue: str, config: ClassifyConfig
) -> None:
    r = classify(cue, config=config)
    assert "both.lifecycle" in {e.signal for e in r.evidence}, r.evidence


def test_reviewing_code_and_writing_design_docs_is_engineering(config: ClassifyConfig) -> None:
    r = classify("Write design docs, review code and mentor newer engineers.", config=config)
    assert (r.family, r.role) == ("other", "software_engineer"), r.evidence


def test_the_buyer_s_side_of_a_demo_is_not_pre_sales(config: ClassifyConfig) -> None:
    # IT sits through the vendors' demos when it buys software: that is not selling
    buyer = classify(
        "Take part in evaluations of new business applications, including vendor demonstrations.",
        config=config,
    )
    seller = classify("Run product demonstrations for new business.", config=config)
    assert buyer.scores["se"] == 0, buyer.evidence
    assert seller.family == "se"
