"""The one results model every writer reads: Status, TestResult, SubmissionResult, BatchResult.

Why one model: result.json, feedback.md/html, grades.csv, summary.md and Gradescope's
results.json must agree on every number. Each writer takes these objects and nothing
else, so a score is computed in exactly one place (:attr:`TestResult.earned`).

Determinism: a submission graded twice must give byte-identical results apart from
timing. So tests are kept sorted by node id, nothing here holds a timestamp, and every
duration lives under the separate ``"timing"`` key of ``result.json``.

Everything crossing a process boundary (the collect plugin's JSON, a ``result.json``
from an earlier run) is read with :meth:`from_dict`, which checks types and caps sizes:
plain data in, never pickles, and a malformed file cannot crash a batch.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..messages import LANGUAGES, msg

RESULT_FORMAT = 1
"""Version of ``result.json``; bump when a field changes meaning (resume then re-grades)."""

MESSAGE_LIMIT = 16_000
OUTPUT_LIMIT = 16_000
SECTION_LIMIT = 16_000


class Status(str, enum.Enum):
    """What happened to one test. Only PASS earns points."""

    PASS = "pass"
    FAIL = "fail"  # an assertion about the student's work did not hold
    ERROR = "error"  # the test could not run to a verdict (setup/teardown error, crash, grader bug)
    TIMEOUT = "timeout"  # a per-test or per-submission time limit was reached
    SKIPPED = "skipped"  # not applicable here; neither earned nor counted in the maximum

    @classmethod
    def parse(cls, value: Any, default: Status | None = None) -> Status:
        try:
            return cls(value)
        except ValueError:
            if default is None:
                raise
            return default


VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")
"""Gradescope's visibility values; ``visible`` is the default of the ``visibility`` marker."""


def clip(text: Any, limit: int) -> str:
    """``text`` as a string of at most ``limit`` characters, with a notice when cut."""
    text = "" if text is None else str(text)
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n... [{len(text) - limit} more characters cut]"


def fmt_points(value: float) -> str:
    """``2`` rather than ``2.0``, ``1.5`` as is: what people expect in a grade sheet."""
    rounded = round(float(value), 4)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:g}"


def fmt_grade(value: float) -> str:
    """A grade on the course's scale: at most two decimals, ``8`` rather than ``8.00`` (``2.76``, ``7.5``)."""
    rounded = round(float(value), 2)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.2f}".rstrip("0")


GRADE_DECIMALS = 2
"""Every grade on the course's scale is rounded to this many decimals, once, here."""


def _number(value: Any, default: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return default
    if value != value or value in (float("inf"), float("-inf")):  # NaN / inf
        return default
    return float(value)


@dataclass(frozen=True)
class Section:
    """A titled block shown under a failed test: a server transcript, captured logs."""

    title: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"title": self.title, "text": self.text}

    @classmethod
    def from_dict(cls, data: Any) -> Section | None:
        if not isinstance(data, Mapping):
            return None
        return cls(clip(data.get("title"), 200), clip(data.get("text"), SECTION_LIMIT))


@dataclass(frozen=True)
class Problem:
    """Something found before any test ran (missing file, syntax error, unsafe zip member).

    Mirrors the sandbox's ``Problem`` (code, path, message) as plain data, so the report
    side depends on no sandbox code and a ``result.json`` can be read back alone.
    """

    code: str
    path: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "path": self.path, "message": self.message}

    @classmethod
    def from_any(cls, obj: Any) -> Problem:
        """From a dict or any object with ``code``/``path``/``message`` attributes."""
        get = obj.get if isinstance(obj, Mapping) else (lambda key, default=None: getattr(obj, key, default))
        return cls(clip(get("code", "problem"), 100), clip(get("path", "") or "", 500),
                   clip(get("message", ""), MESSAGE_LIMIT))


IDENTITY_CODES = frozenset({"id_collision", "not_on_roster", "roster_ambiguous"})
"""Problems about who a submission is (see :mod:`grader.grade.identity`): for the instructor only.

They name other students' submissions (``Victim.zip`` collides with ``victim.zip``), so no
view a student reads shows them: :meth:`SubmissionResult.student_problems` leaves them out."""


@dataclass
class TestResult:
    """One test of one submission. ``points`` is what it is worth, :attr:`earned` what it gave."""

    __test__ = False  # not a pytest test class, despite the name

    nodeid: str
    exercise: str
    name: str
    description: str
    status: Status
    points: float = 1.0
    visibility: str = "visible"
    message: str = ""
    output: str = ""
    sections: list[Section] = field(default_factory=list)
    details: str = ""  # instructor-facing: the full failure text, e.g. a grader traceback
    duration: float = 0.0  # timing only; never part of a score or of the comparable result
    mistakes: list[str] = field(default_factory=list)
    """Ids of the beginner mistakes this test named (``send_not_sendall``: keys of
    :data:`grader.messages.mistakes.MISTAKES`), for the class dashboard's count per mistake."""

    @property
    def earned(self) -> float:
        return self.points if self.status is Status.PASS else 0.0

    @property
    def possible(self) -> float:
        """Points this test counts in the maximum (a skipped test counts for nothing)."""
        return 0.0 if self.status is Status.SKIPPED else self.points

    @property
    def passed(self) -> bool:
        return self.status is Status.PASS

    def to_dict(self) -> dict[str, Any]:
        return {
            "nodeid": self.nodeid, "exercise": self.exercise, "name": self.name,
            "description": self.description, "status": self.status.value,
            "points": self.points, "earned": self.earned, "visibility": self.visibility,
            "message": self.message, "output": self.output,
            "sections": [s.to_dict() for s in self.sections], "details": self.details,
            "mistakes": list(self.mistakes),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, duration: float = 0.0) -> TestResult:
        """Read one test back, checking every field (bad status → error, bad points → 1)."""
        visibility = data.get("visibility")
        points = _number(data.get("points"), 1.0)
        sections = [s for s in (Section.from_dict(x) for x in _list(data.get("sections"))[:20]) if s]
        return cls(
            nodeid=clip(data.get("nodeid"), 1000),
            exercise=clip(data.get("exercise"), 200),
            name=clip(data.get("name"), 500),
            description=clip(data.get("description"), 1000),
            status=Status.parse(data.get("status"), Status.ERROR),
            points=points if points >= 0 else 1.0,
            visibility=visibility if visibility in VISIBILITIES else "visible",
            message=clip(data.get("message"), MESSAGE_LIMIT),
            output=clip(data.get("output"), OUTPUT_LIMIT),
            sections=sections,
            details=clip(data.get("details"), MESSAGE_LIMIT),
            duration=_number(duration),
            mistakes=[clip(m, 100) for m in _list(data.get("mistakes"))[:20] if isinstance(m, str)],
        )


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


IDENTITY_FIELDS = ("submission", "name", "sis_id", "login_id", "section")


@dataclass
class Identity:
    """Who a result belongs to, beyond its id: what the gradebook and the LMS exports show.

    ``submission`` is the submission's original name as handed in (``张三.zip``,
    ``2024001_张三.zip``), kept verbatim so the instructor can always tell whose row it
    is; the rest comes from ``--roster`` (empty without one).
    """

    submission: str = ""
    name: str = ""
    sis_id: str = ""
    login_id: str = ""
    section: str = ""

    def to_dict(self) -> dict[str, str]:
        return {key: getattr(self, key) for key in IDENTITY_FIELDS}

    @classmethod
    def from_dict(cls, data: Any) -> Identity:
        if not isinstance(data, Mapping):
            return cls()
        return cls(**{key: clip(data.get(key), 500) for key in IDENTITY_FIELDS})


def _weights(data: Any) -> dict[str, float]:
    if not isinstance(data, Mapping):
        return {}
    found = {clip(k, 200): _number(v, -1.0) for k, v in list(data.items())[:1000]}
    return {k: v for k, v in found.items() if v >= 0}


@dataclass
class SubmissionResult:
    """Everything about one student's submission: pre-flight problems and per-test results."""

    student: str
    content_hash: str = ""
    suite_hash: str = ""
    problems: list[Problem] = field(default_factory=list)
    tests: list[TestResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # grader-side events: "stopped after 300 s"
    duration: float = 0.0  # timing only
    lang: str = ""
    """The language it was graded in (``en``/``zh``): the harness's verdicts, the notes and the
    feedback are all in it. ``""``: not known (the feedback then uses the current language)."""
    weights: dict[str, float] = field(default_factory=dict)
    """Each exercise's weight in the course grade (the manifest's ``points``, see
    :mod:`grader.report.scale`). An exercise's test points are scaled to its weight, so the
    course totals 100 in every view; an exercise without a weight counts its raw test points."""
    identity: Identity = field(default_factory=Identity)

    def __post_init__(self) -> None:
        self.tests.sort(key=lambda t: t.nodeid)

    @property
    def score(self) -> float:
        return round(sum(t.earned for t in self.tests), 6)

    @property
    def max_score(self) -> float:
        return round(sum(t.possible for t in self.tests), 6)

    def exercises(self) -> list[str]:
        return sorted({t.exercise for t in self.tests})

    def exercise_scores(self) -> dict[str, tuple[float, float]]:
        """``{exercise: (earned, possible)}`` in exercise order."""
        scores: dict[str, tuple[float, float]] = {}
        for test in self.tests:
            earned, possible = scores.get(test.exercise, (0.0, 0.0))
            scores[test.exercise] = (earned + test.earned, possible + test.possible)
        return {k: (round(v[0], 6), round(v[1], 6)) for k, v in sorted(scores.items())}

    def student_problems(self) -> list[Problem]:
        """The problems a student may read: all but :data:`IDENTITY_CODES` (other students' names)."""
        return [p for p in self.problems if p.code not in IDENTITY_CODES]

    def scale(self, exercise: str) -> float:
        """What one raw test point of ``exercise`` is worth on the course's scale (1 without a weight)."""
        weight = self.weights.get(exercise)
        if weight is None:
            return 1.0
        possible = sum(t.possible for t in self.tests if t.exercise == exercise)
        return weight / possible if possible else 0.0

    def test_grade(self, test: TestResult) -> tuple[float, float]:
        """``(earned, possible)`` of one test on the course's scale (unrounded: for sums)."""
        factor = self.scale(test.exercise)
        return test.earned * factor, test.possible * factor

    def exercise_grades(self) -> dict[str, tuple[float, float]]:
        """``{exercise: (earned, weight)}`` on the course's scale, rounded to :data:`GRADE_DECIMALS`.

        An exercise whose every test was skipped counts ``(0, 0)``: skipped counts for nothing.
        """
        grades: dict[str, tuple[float, float]] = {}
        for exercise, (earned, possible) in self.exercise_scores().items():
            weight = self.weights.get(exercise)
            if weight is None:
                grades[exercise] = (earned, possible)
            elif possible:
                grades[exercise] = (round(weight * earned / possible, GRADE_DECIMALS),
                                    round(weight, GRADE_DECIMALS))
            else:
                grades[exercise] = (0.0, 0.0)
        return grades

    @property
    def grade(self) -> float:
        """The course grade (of :attr:`grade_max`, 100 for the course as shipped): every view shows this."""
        total = 0.0
        for exercise, (earned, possible) in self.exercise_scores().items():
            weight = self.weights.get(exercise)
            total += earned if weight is None else (weight * earned / possible if possible else 0.0)
        return round(total, GRADE_DECIMALS)

    @property
    def grade_max(self) -> float:
        return round(sum(possible for _, possible in self.exercise_grades().values()), GRADE_DECIMALS)

    def by_exercise(self) -> dict[str, list[TestResult]]:
        groups: dict[str, list[TestResult]] = {}
        for test in self.tests:
            groups.setdefault(test.exercise, []).append(test)
        return dict(sorted(groups.items()))

    def to_dict(self) -> dict[str, Any]:
        """``result.json``: comparable content first, all durations under ``"timing"``."""
        grades = self.exercise_grades()
        return {
            "format": RESULT_FORMAT,
            "student": self.student,
            "identity": self.identity.to_dict(),
            "lang": self.lang,
            "content_hash": self.content_hash,
            "suite_hash": self.suite_hash,
            "grade": self.grade,
            "grade_max": self.grade_max,
            "score": self.score,
            "max_score": self.max_score,
            "weights": dict(sorted(self.weights.items())),
            "exercises": {k: {"earned": e, "possible": p, "grade": grades[k][0], "weight": grades[k][1]}
                          for k, (e, p) in self.exercise_scores().items()},
            "problems": [p.to_dict() for p in self.problems],
            "notes": list(self.notes),
            "tests": [t.to_dict() for t in self.tests],
            "timing": {"total": round(self.duration, 3),
                       "tests": {t.nodeid: round(t.duration, 3) for t in self.tests}},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SubmissionResult:
        """Read a ``result.json`` back. Raises ValueError if it is not one of ours."""
        if not isinstance(data, Mapping) or data.get("format") != RESULT_FORMAT:
            raise ValueError("not a netlings result.json of this format")
        timing = data.get("timing") if isinstance(data.get("timing"), Mapping) else {}
        per_test = timing.get("tests") if isinstance(timing.get("tests"), Mapping) else {}
        tests = [TestResult.from_dict(t, duration=per_test.get(t.get("nodeid"), 0.0))
                 for t in _list(data.get("tests")) if isinstance(t, Mapping)]
        lang = data.get("lang")
        return cls(
            student=clip(data.get("student"), 200),
            identity=Identity.from_dict(data.get("identity")),
            weights=_weights(data.get("weights")),
            lang=lang if lang in LANGUAGES else "",
            content_hash=clip(data.get("content_hash"), 200),
            suite_hash=clip(data.get("suite_hash"), 200),
            problems=[Problem.from_any(p) for p in _list(data.get("problems")) if isinstance(p, Mapping)],
            tests=tests,
            notes=[clip(n, MESSAGE_LIMIT) for n in _list(data.get("notes"))],
            duration=_number(timing.get("total")),
        )


@dataclass
class BatchResult:
    """A whole ``netlings grade`` run: one SubmissionResult per student, sorted by student."""

    submissions: list[SubmissionResult] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)  # students whose unchanged result.json was kept
    out: Path | None = None
    duration: float = 0.0
    notices: list[str] = field(default_factory=list)  # one-time notices (e.g. no network isolation)
    lang: str = ""  # the language of the run's reports (summary.md, the summary line); "": the current one
    skipped: list[Problem] = field(default_factory=list)
    """Submissions that were not graded and have no row (an empty folder or zip): ``path`` is the
    submission's name, ``message`` why. Listed with the class's problems, never as a student."""
    absent: dict[str, Identity] = field(default_factory=dict)
    """``{student id: identity}`` of the roster entries no submission matched (``--roster``):
    in the exports with no grade, listed with the class's problems."""
    unmatched: list[str] = field(default_factory=list)
    """Ids of the students whose submission matched no roster entry (``--roster``)."""
    changes: dict[str, tuple[float, float]] = field(default_factory=dict)
    """``{student: (previous grade, grade)}`` for the students re-graded in this run whose grade changed."""

    def __post_init__(self) -> None:
        self.submissions.sort(key=lambda s: s.student)

    def exercises(self) -> list[str]:
        return sorted({e for s in self.submissions for e in s.exercises()})

    def get(self, student: str) -> SubmissionResult:
        for submission in self.submissions:
            if submission.student == student:
                return submission
        raise KeyError(student)

    def summary_line(self, lang: str | None = None) -> str:
        """The one line printed after every run, TTY or not (in ``lang``, else the batch's language)."""
        lang = lang or self.lang or None
        count = len(self.submissions)
        if not count:
            return msg("report.line.graded_many", lang, count=0)
        graded = count - len(self.reused)
        problems = sum(1 for s in self.submissions if s.problems)
        mean = sum(s.grade for s in self.submissions) / count
        top = max((s.grade_max for s in self.submissions), default=0.0)
        graded_key = "report.line.graded_one" if graded == 1 else "report.line.graded_many"
        parts = [msg(graded_key, lang, count=graded)]
        if self.reused:
            parts.append(msg("report.line.kept", lang, count=len(self.reused)))
        if problems:
            parts.append(msg("report.line.problems", lang, count=problems))
        line = msg("report.line.done", lang, parts=msg("report.line.separator", lang).join(parts),
                   seconds=f"{self.duration:.1f}", mean=f"{mean:.2f}", top=fmt_points(top))
        return line + (f" -> {self.out}" if self.out else "")
