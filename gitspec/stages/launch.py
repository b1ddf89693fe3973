"""The launch stage: tweets, hero copy, screenshots, a Product Hunt tagline and growth loops.

Length limits (280 for a tweet as X weighs it, 60 characters for the tagline) are enforced here,
not trusted to a provider: drafts are shortened at a word boundary, and a provider's over-long
answer gets one retry before the build stops with one line naming the section (exit 1).
"""
from __future__ import annotations

from typing import Any, Callable

from gitspec.errors import EXIT_FINDINGS, GitspecError
from gitspec.stage import PLACEHOLDER, Output, Stage, StageInput, placeholder
from gitspec.stages.prose import fill, fill_section
from gitspec.graphemes import graphemes
from gitspec.sectionschema import section_schema
from gitspec.stages.tweetlength import tweet_length

NAME, TAGLINE, AUDIENCE = "product#name", "product#tagline", "product#targetAudience"
FEATURES, PROMISE, TONE = "product#features", "brand#brandPromise", "brand#verbalTone"
SECTIONS = ("tweets", "pinnedTweet", "heroCopy", "screenshotSpec", "productHuntTagline",
            "activationLoop", "retentionLoop")
TWEET_LIMIT = 280
TAGLINE_LIMIT = 60
# Product Hunt's recommended gallery image size.
SCREENSHOT_SIZE = "1270x760"
_MAX_FEATURE_TWEETS = 3
# Where CJK text, which has no spaces between words, may be cut: after a comma or a full stop.
_CLAUSE_MARKS = "、。，；：！？"


def shorten(text: str, limit: int, measure: Callable[[str], int] = len) -> str:
    """`text` cut to a `measure` (characters, or tweet_length) of at most `limit`, ending in an ellipsis:
    at a word boundary, else between two characters as a reader sees them (never inside an accented
    letter or an emoji sequence)."""
    text = " ".join(text.split())
    if measure(text) <= limit:
        return text
    clusters = graphemes(text)
    fits, over = 0, len(clusters)  # the longest run of whole clusters that fits with its ellipsis
    while over - fits > 1:
        middle = (fits + over) // 2
        fits, over = (middle, over) if measure("".join(clusters[:middle]) + "…") <= limit else (fits, middle)
    cut = "".join(clusters[:fits])
    # the last space, or the end of the last clause in text that has no spaces ("作成し、顧客")
    at = max(cut.rfind(" "), *(cut.rfind(mark) + 1 for mark in _CLAUSE_MARKS))
    if at > 0:
        cut = cut[:at]
    return cut.rstrip(" ,;:-–—" + _CLAUSE_MARKS) + "…"


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _known(value: str | None) -> bool:
    return value is not None and not value.startswith(PLACEHOLDER)


def _tone(inp: StageInput) -> str:
    tone = inp.get(TONE)
    if isinstance(tone, dict):
        traits = ", ".join(t for t in tone.get("traits") or [] if isinstance(t, str))
        summary = tone.get("summary") if isinstance(tone.get("summary"), str) else ""
        return f" Voice: {summary} ({traits})." if summary or traits else ""
    return ""


def _features(inp: StageInput) -> list[dict[str, Any]]:
    features = inp.get(FEATURES)
    if not isinstance(features, list):
        return []
    # Launch copy leads with what ships first.
    order = {"must": 0, "should": 1, "could": 2}
    usable = [f for f in features if isinstance(f, dict) and _known(_text(f.get("name")))
              and f.get("priority") in order]
    return sorted(usable, key=lambda f: order[f["priority"]])


def _tweets(name: str | None, tagline: str | None, audience: str | None,
            features: list[dict[str, Any]]) -> list[str]:
    if _known(name) and _known(tagline):
        intro = f"Introducing {name}: {tagline}"
        longer = f"{intro} Built for {audience.rstrip('.')}." if _known(audience) else intro
        # The audience is worth naming only when it fits whole; half a sentence helps nobody.
        intro = longer if tweet_length(longer) <= TWEET_LIMIT else intro
    else:
        intro = placeholder("the launch announcement: what the product is and who it is for")
    tweets = [intro]
    for feature in features[:_MAX_FEATURE_TWEETS]:
        tweets.append(placeholder(f"a tweet on what {feature['name']} lets users do, with one concrete example"))
    return [shorten(t, TWEET_LIMIT, tweet_length) for t in tweets]


def _pinned(name: str | None, tagline: str | None, promise: str | None) -> str:
    if not (_known(name) and _known(tagline)):
        return placeholder("the tweet to pin on launch day")
    text = f"{name} is live. {tagline}"
    if _known(promise):
        text += f" {promise}"
    return shorten(text, TWEET_LIMIT, tweet_length)


def _hero(name: str | None, tagline: str | None, audience: str | None, promise: str | None) -> dict[str, str]:
    headline = tagline if _known(tagline) else placeholder("the headline")
    if _known(promise):
        subhead = promise
    elif _known(name) and _known(audience):
        subhead = f"{name}, for {audience.rstrip('.')}."
    else:
        subhead = placeholder("the line under the headline")
    return {"headline": headline, "subhead": subhead, "cta": "Get started"}


def _screenshots(features: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"title": f["name"], "caption": placeholder(f"caption for the {f['name']} screenshot"),
             "callouts": [placeholder("what to highlight")], "size": SCREENSHOT_SIZE, "theme": "light"}
            for f in features if f["priority"] == "must"][:4]


def _loops(name: str | None, features: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    product = name if _known(name) else "the product"
    first = features[0]["name"] if features else None
    activation = {
        "summary": placeholder("how a new sign-up reaches the moment the product proves its value"),
        "trigger": f"Sign-up for {product}.",
        "steps": [f"Sign up for {product}.",
                  f"First use of {first}." if first else placeholder("the first thing a new user does"),
                  placeholder("the moment the product proves its value"),
                  placeholder("what the user shares or invites, bringing in the next user")],
        "metric": placeholder("share of new sign-ups that reach the value moment, and within what time"),
        "target": placeholder("target value with its unit"),
    }
    retention = {
        "summary": placeholder("what brings users back, and how each visit makes the next more likely"),
        "trigger": placeholder("what brings a user back (an email, a recurring task, a notification)"),
        "steps": [placeholder("the recurring task the user returns for"),
                  placeholder("what the visit leaves behind that makes the next one more useful")],
        "metric": placeholder("share of users active again after a set period"),
        "target": placeholder("target value with its unit"),
    }
    return activation, retention


def fill_limited(provider: Any, section: str, draft: str, prompt: str, limit: int,
                 measure: Callable[[str], int] = len, schema: dict | None = None) -> str:
    """The provider's text for a length-limited field (its length as `measure` counts), valid against `schema`
    (by default the section's): one retry, then GitspecError (exit 1)."""
    draft = shorten(draft, limit, measure)
    schema = schema if schema is not None else section_schema("launch", section)
    value = fill(provider, "launch", section, draft, prompt, schema)
    if isinstance(value, str) and 0 < measure(value) <= limit:
        return value
    retry = (f"{prompt} The text MUST be at most {limit} characters; the previous answer had "
             f"{measure(value) if isinstance(value, str) else 'no'} characters. Return only the text.")
    value = fill(provider, "launch", section, draft, retry, schema)
    if isinstance(value, str) and 0 < measure(value) <= limit:
        return value
    got = f"{measure(value)} characters" if isinstance(value, str) else type(value).__name__
    # The provider's failure, as a provider's own errors are: one line, exit 1, nothing written.
    who = " ".join(filter(None, ("the", getattr(provider, "name", ""), "provider")))
    raise GitspecError(f"stage 'launch', section '{section}': {who} returned {got}, over the limit of {limit}, "
                       "after a retry", exit_code=EXIT_FINDINGS)


def generate(inp: StageInput) -> dict[str, Any]:
    name, tagline = _text(inp.get(NAME)), _text(inp.get(TAGLINE))
    audience, promise = _text(inp.get(AUDIENCE)), _text(inp.get(PROMISE))
    features, tone, provider = _features(inp), _tone(inp), inp.provider
    tweet_prompt = f"Write a launch tweet of at most {TWEET_LIMIT} characters; no invented numbers.{tone}"
    tweets = [fill_limited(provider, "tweets", t, f"{tweet_prompt} Tweet {i + 1} of the thread.", TWEET_LIMIT,
                           tweet_length, section_schema("launch", "tweets", "items"))  # one tweet of the list
              for i, t in enumerate(_tweets(name, tagline, audience, features))]
    pinned = fill_limited(provider, "pinnedTweet", _pinned(name, tagline, promise),
                          f"Write the tweet to pin on launch day, at most {TWEET_LIMIT} characters.{tone}", TWEET_LIMIT,
                          tweet_length)
    tagline_draft = tagline if _known(tagline) else placeholder("tagline of 60 characters or fewer")
    hunt = fill_limited(provider, "productHuntTagline", tagline_draft,
                        f"Write a Product Hunt tagline of at most {TAGLINE_LIMIT} characters.{tone}", TAGLINE_LIMIT)
    activation, retention = _loops(name, features)
    prose = {
        "heroCopy": (_hero(name, tagline, audience, promise),
                     f"Write landing-page hero copy: headline, subhead and call-to-action label.{tone}"),
        "screenshotSpec": (_screenshots(features), "Specify each launch screenshot: caption and callouts."),
        "activationLoop": (activation, "Describe the activation loop: trigger, steps, metric and target."),
        "retentionLoop": (retention, "Describe the retention loop: trigger, steps, metric and target."),
    }
    filled = {section: fill_section(provider, "launch", section, draft, prompt)
              for section, (draft, prompt) in prose.items()}
    out = {"tweets": tweets, "pinnedTweet": pinned, "productHuntTagline": hunt, **filled}
    return {section: out[section] for section in SECTIONS}


STAGE = Stage(
    name="launch",
    version="1",
    document="launch",
    kind="launch",
    title="Launch",
    inputs=(NAME, TAGLINE, AUDIENCE, FEATURES, PROMISE, TONE),
    outputs=(
        Output("tweets", (NAME, TAGLINE, AUDIENCE, FEATURES, TONE)),
        Output("pinnedTweet", (NAME, TAGLINE, PROMISE, TONE)),
        Output("heroCopy", (NAME, TAGLINE, AUDIENCE, PROMISE, TONE)),
        Output("screenshotSpec", (FEATURES,)),
        Output("productHuntTagline", (TAGLINE, TONE)),
        Output("activationLoop", (NAME, FEATURES)),
        Output("retentionLoop", (NAME, FEATURES)),
    ),
    generate=generate,
    prompt_version="2",  # the provider is given the section's schema: answers cached before are asked again
)
