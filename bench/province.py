"""A province of science and technology associations on PostgreSQL, for bench/scale.py and
bench/load.py: supervising divisions and their departments, reviewers and clerks, projects,
declarations over several fiscal years in every status (some adjusted after approval), their
budgets, status moves and audit events, and indicators named like the sample tables' ones.

The bulk rows are written with PostgreSQL COPY; the sample tables, the demo accounts, a
declaration of 60 indicators and a monitoring round come through the app's own loaders and
services. The summaries the app keeps beside what it writes (each declaration's
indicator-quality facts, the indicator history) are computed by the app's own functions once
the rows are in. A built database carries its size as its comment, so a second run finds it
ready.

Import after ``django.setup()``, and call ``prepare_database`` before the first query.
"""

import io
import json
import random
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Max

from benchdata import synthetic_declaration
from declarations import performance, quality
from declarations.models import (
    Budget,
    Declaration,
    DeclarationEvent,
    Department,
    Project,
    StatusChange,
    SupervisingDivision,
    User,
)
from declarations.roles import REVIEWER_GROUP, STAFF_GROUP
from indicators import history
from indicators.models import IndicatorCategory, PerformanceIndicator

# Bump when the generated data changes shape, so that an older database is rebuilt.
# 2: the declarations' indicator-quality facts and the indicator history are built too.
FORMAT = 2
ROOT = Path(__file__).resolve().parent.parent
# The division of the demo reviewer: the one that supervises a quarter of the province.
BIG_DIVISION = "教科文科"
BIG_SHARE = 4
# The years on the list, newest first: the newest is being declared now (drafts and
# submissions), the older ones are approved and monitored. A province larger than 25
# declarations a department goes further back.
YEARS = (2027, 2026, 2025, 2024, 2023)
PROJECTS_PER_DEPARTMENT = 4
SCALE_PASSWORD = "kexie-scale-2025"
MEASURED_CLERK = "clerk00000"
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Size:
    declarations: int
    indicators: int
    departments: int
    reviewers: int

    @classmethod
    def for_declarations(cls, declarations: int, indicators: int) -> "Size":
        """The province's proportions: 25 declarations a department (five years of a
        department-wide table and four projects), a reviewer for every 20 departments."""
        departments = max(8, declarations // 25)
        return cls(declarations, indicators, departments, max(4, departments // 20))

    @property
    def label(self) -> str:
        return (
            f"kexie-scale v{FORMAT}: declarations={self.declarations} "
            f"indicators={self.indicators} departments={self.departments} "
            f"reviewers={self.reviewers}"
        )


# ---------------------------------------------------------------------------------------------
# The database itself (before django.setup()).


def _maintenance_dsn(url: str) -> tuple[str, str]:
    """(DSN of the server's ``postgres`` database, name of the database in ``url``)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    return urlunsplit(parts._replace(path="/postgres")), name


def prepare_database(url: str, size: Size, rebuild: bool) -> bool:
    """Make sure the database of ``url`` exists; True when it must be (re)built, i.e. it was
    just created, or ``rebuild`` was asked, or it holds another size or an unfinished build."""
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("需要 PostgreSQL：请把 DATABASE_URL 设为 postgres://… 的地址。")
    dsn, name = _maintenance_dsn(url)
    server = psycopg2.connect(dsn)
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        )
        row = cursor.fetchone()
        if row is not None and row[0] == size.label and not rebuild:
            server.close()
            return False
        if row is not None:
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    server.close()
    return True


def mark_built(size: Size) -> None:
    """The last step of a build: the database says what it holds."""
    with connection.cursor() as cursor:
        cursor.execute(
            f'COMMENT ON DATABASE "{connection.settings_dict["NAME"]}" IS %s', [size.label]
        )


# ---------------------------------------------------------------------------------------------
# COPY.


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


def copy_rows(model, rows, chunk: int = 50_000) -> int:
    """COPY ``rows`` (dicts of attribute names; the other fields take their defaults) into
    ``model``'s table. Returns the number of rows."""
    fields = list(model._meta.concrete_fields)
    defaults = {}
    for field in fields:
        if field.has_default():
            defaults[field.attname] = _copy_value(field.get_default())
        elif field.null:
            defaults[field.attname] = "\\N"
        elif field.empty_strings_allowed and field.blank:
            defaults[field.attname] = ""
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    names = [f.attname for f in fields]
    total = 0
    buffer = io.StringIO()

    def flush():
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(sql, buffer)
        buffer.seek(0)
        buffer.truncate()

    for row in rows:
        buffer.write(
            "\t".join(_copy_value(row[name]) if name in row else defaults[name] for name in names)
        )
        buffer.write("\n")
        total += 1
        if total % chunk == 0:
            flush()
    flush()
    return total


def _next_id(model) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _reset_sequence(model) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM \"{table}\"))",
            [table],
        )


class _IndexesAside:
    """Secondary indexes of the bulk tables dropped during COPY and made again after it, the
    usual way to load a few million rows: building an index (above all a trigram GIN index)
    at once is many times faster than growing it row by row. Indexes that back a constraint
    stay, so the data is still checked."""

    def __init__(self, tables: list[str]):
        self.tables = tables
        self.saved: list[str] = []

    def __enter__(self):
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                FROM pg_index i
                WHERE i.indrelid::regclass::text = ANY(%s)
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                """,
                [self.tables],
            )
            for name, definition in cursor.fetchall():
                self.saved.append(definition)
                cursor.execute(f"DROP INDEX {name}")
        return self

    def __exit__(self, *exc):
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for definition in self.saved:
                cursor.execute(definition)
        return False


# ---------------------------------------------------------------------------------------------
# What the rows say: names, texts, indicators.

CITIES = (
    "石家庄市 唐山市 秦皇岛市 邯郸市 邢台市 保定市 张家口市 承德市 沧州市 廊坊市 衡水市 太原市 "
    "大同市 长治市 晋城市 朔州市 晋中市 运城市 忻州市 临汾市 吕梁市 济南市 青岛市 淄博市 枣庄市 "
    "东营市 烟台市 潍坊市 济宁市 泰安市 威海市 日照市 临沂市 德州市 聊城市 滨州市 菏泽市 郑州市 "
    "开封市 洛阳市"
).split()
DISTRICT_HEADS = "东西南北新长安平丰永兴和宁清河山阳城泉江华桥台林源德昌隆"
DISTRICT_TAILS = "城安平山阳河宁丰兴州原林水川泽峰谷坪口桥溪"
DIVISION_KINDS = ("教科文科", "经济建设科", "行政政法科", "农业农村科", "社会保障科")

# Indicators made of an action, a subject and what is measured, beside the samples' own.
ACTIONS = ("举办", "开展", "组织", "支持", "建设", "发布", "培训", "评选", "推广", "完成")
SUBJECTS = (
    "科普讲座",
    "科技活动周活动",
    "全国科普日系列活动",
    "青少年科技创新大赛",
    "科普志愿服务",
    "院士专家报告会",
    "科普大篷车巡展",
    "学术年会",
    "科技工作者座谈会",
    "智库调研课题",
    "科普教育基地",
    "老科协活动",
    "农村科普带头人培训",
    "科普信息化平台",
    "应急科普宣传",
    "青少年机器人竞赛",
    "科学素质大赛",
    "科技馆流动展览",
    "科普进社区活动",
    "企业科协工作站",
    "学会学术交流活动",
    "科技成果转化对接会",
    "人工智能科普体验",
    "中小学科技节",
    "科学家精神宣讲",
)
MEASURES = {
    "场次": ("output-quantity", "≥", "场次"),
    "次数": ("output-quantity", "≥", "次"),
    "参与人次": ("output-quantity", "≥", "人次"),
    "数量": ("output-quantity", "≥", "个"),
    "验收合格率": ("output-quality", "≥", "%"),
    "按期完成率": ("output-timeliness", "=", "%"),
    "成本控制率": ("cost-economic", "≤", "%"),
    "辖区覆盖率": ("benefit-social", "≥", "%"),
    "公众知晓率": ("benefit-social", "≥", "%"),
    "服务对象满意度": ("satisfaction-service", "≥", "%"),
}
PREFIXES = ("全区", "全县", "街道", "社区", "农村", "青少年", "老年人", "重点人群")
SUFFIXES = ("（线上）", "（线下）", "（第一批）", "（第二批）", "（年度）", "（试点）")
QUALITATIVE = ("提升", "有效提升", "及时", "按时完成", "有利推进", "逐步完善", "持续改善")
UNIT_OF_VALUE = ("场次", "场", "次", "个", "篇", "人次", "家", "项", "%")
PROJECT_NAMES = (
    "科普工作经费",
    "全国科普日活动经费",
    "学术交流活动经费",
    "青少年科技创新活动",
    "老科协工作经费",
    "科技工作者之家建设",
    "智库调研课题经费",
    "基层科普行动计划",
    "“科创中国”服务专项",
    "公民科学素质提升行动",
)
PROJECT_LAYOUTS = ("cq_special", "km_project", "hb_county")
DEPARTMENT_LAYOUTS = ("gz_department", "bj_department")


def _seed_texts() -> tuple[list[dict], list[dict], list[tuple[str, str, str, str]]]:
    """The sample tables' projects, declaration texts and indicators (level 1, level 2,
    name, value), read from fixtures/seeds."""
    projects, declarations, indicators = [], [], []
    for path in sorted((ROOT / "fixtures" / "seeds").glob("*.json")):
        seed = json.loads(path.read_text(encoding="utf-8"))
        for declaration in seed["declarations"]:
            if declaration.get("project"):
                projects.append(declaration["project"])
            declarations.append(declaration)
            for row in declaration.get("indicators", []):
                name = row.get("name") or ""
                if name and len(name) <= 40:
                    indicators.append(
                        (row.get("level1") or "", row.get("level2") or "", name, row.get("value"))
                    )
    return projects, declarations, indicators


class _Names:
    """Indicator rows named like the sample tables' ones with variations, so that a search
    for a word finds as many rows as it would in a real province."""

    def __init__(self, rng: random.Random, categories: dict[str, int], seed_rows):
        self.rng = rng
        self.categories = categories
        by_name = {name: code for code, name in self._category_names().items()}
        self.seed_rows = []
        for level1, level2, name, _value in seed_rows:
            code = by_name.get(level2) or "output-quantity"
            if level1 == "效益指标" and code.startswith("output"):
                code = "benefit-social"
            if level1 == "满意度指标":
                code = "satisfaction-service"
            self.seed_rows.append((name, code))

    @staticmethod
    def _category_names() -> dict[str, str]:
        taxonomy = json.loads((ROOT / "fixtures" / "taxonomy.json").read_text(encoding="utf-8"))
        names = {}
        for level1 in taxonomy["categories"]:
            for level2 in level1["children"]:
                if not level2.get("legacy"):
                    names[level2["code"]] = level2["name"]
        return names

    def row(self) -> dict:
        rng = self.rng
        if rng.random() < 0.4:
            name, code = rng.choice(self.seed_rows)
            operator, unit = "≥", rng.choice(UNIT_OF_VALUE)
        else:
            measure = rng.choice(tuple(MEASURES))
            code, operator, unit = MEASURES[measure]
            name = f"{rng.choice(ACTIONS)}{rng.choice(SUBJECTS)}{measure}"
        draw = rng.random()
        if draw < 0.25:
            name = rng.choice(PREFIXES) + name
        elif draw < 0.45:
            name = name + rng.choice(SUFFIXES)
        elif draw < 0.55:
            name = f"{rng.choice(YEARS)}年{name}"
        level2 = self.categories[code]
        level1 = self.categories[code.split("-")[0]]
        if code.startswith("satisfaction") or unit == "%":
            unit = "%"
        if rng.random() < 0.2:
            return {
                "name": name,
                "level1_id": level1,
                "level2_id": level2,
                "kind": "qualitative",
                "operator": "",
                "unit": "",
                "target_text": rng.choice(QUALITATIVE),
            }
        value = rng.choice((80, 85, 90, 95, 100)) if unit == "%" else rng.randint(1, 200)
        return {
            "name": name,
            "level1_id": level1,
            "level2_id": level2,
            "kind": "quantitative",
            "operator": operator,
            "unit": unit,
            "target_value": Decimal(value),
            "target_text": "",
        }


# ---------------------------------------------------------------------------------------------
# The build.


@dataclass
class Built:
    seconds: float
    declarations: int
    indicators: int


def _status_of(rng: random.Random, year: int) -> str:
    """The newest year is being declared; the year before is mostly approved, with a few
    late ones; older years are approved but for the odd table never resubmitted."""
    draw = rng.random()
    if year == YEARS[0]:
        shares = (("draft", 0.35), ("submitted", 0.65), ("returned", 0.8), ("approved", 1))
    elif year == YEARS[1]:
        shares = (("approved", 0.85), ("submitted", 0.9), ("returned", 0.95), ("draft", 1))
    else:
        shares = (("approved", 0.97), ("returned", 1))
    return next(status for status, upto in shares if draw < upto or upto == 1)


def _moment(rng: random.Random, year: int, days_after: int = 0) -> datetime:
    """A time in the autumn before ``year`` (when its declarations are made), never later
    than NOW."""
    start = datetime(year - 1, 9, 1, 8, 0, tzinfo=UTC)
    moment = start + timedelta(days=days_after + rng.randint(0, 60), minutes=rng.randint(0, 600))
    return min(moment, NOW)


def build(size: Size, log=print) -> Built:
    """Fill the (migrated, empty) database with the province of ``size``."""
    started = time.perf_counter()
    rng = random.Random(20251)
    quiet = io.StringIO()
    call_command("load_samples", "--demo-accounts", verbosity=0, stdout=quiet)
    call_command("demo_performance", verbosity=0, stdout=quiet)
    synthetic_declaration()
    log(f"  样表、演示账号与 60 项指标的申报表：{time.perf_counter() - started:.1f} s")

    existing_declarations = Declaration.objects.count()
    existing_indicators = PerformanceIndicator.objects.count()
    wanted_declarations = size.declarations - existing_declarations
    wanted_indicators = size.indicators - existing_indicators
    if wanted_declarations <= 0 or wanted_indicators < wanted_declarations:
        raise SystemExit("规模太小：申报表和指标数须大于样表自带的数量。")

    seed_projects, seed_declarations, seed_indicators = _seed_texts()
    categories = dict(IndicatorCategory.objects.values_list("code", "pk"))
    names = _Names(rng, categories, seed_indicators)
    groups = dict(Group.objects.values_list("name", "pk"))
    password = make_password(SCALE_PASSWORD)

    with transaction.atomic():
        with connection.cursor() as cursor:
            # Generated rows are consistent by construction: skip the per-row foreign-key
            # triggers of COPY (a superuser's setting; without it the load is only slower).
            try:
                with transaction.atomic():
                    cursor.execute("SET LOCAL session_replication_role = replica")
            except Exception:  # noqa: BLE001 - not a superuser: keep the checks
                pass

        # Divisions: the big one (the demo reviewer's) and the others.
        big = SupervisingDivision.objects.get(name=BIG_DIVISION)
        big_count = max(1, size.departments // BIG_SHARE)
        others = max(1, min(29, (size.departments - big_count) // 50))
        division_ids = []
        for n in range(others):
            city = CITIES[n % len(CITIES)]
            division, _ = SupervisingDivision.objects.get_or_create(
                name=f"{city}财政局{DIVISION_KINDS[n % len(DIVISION_KINDS)]}",
                defaults={"finance_bureau": f"{city}财政局"},
            )
            division_ids.append(division.pk)

        # Departments: a quarter under the big division, the rest spread over the others.
        taken = set(Department.objects.values_list("name", flat=True))
        department_rows = []
        next_department = _next_id(Department)
        while len(department_rows) < size.departments:
            city = rng.choice(CITIES)
            district = rng.choice(DISTRICT_HEADS) + rng.choice(DISTRICT_TAILS)
            district += rng.choice(("区", "县"))
            name = f"{city}{district}科学技术协会"
            if name in taken:
                continue
            taken.add(name)
            n = len(department_rows)
            department_rows.append(
                {
                    "id": next_department + n,
                    "name": name,
                    "short_name": f"{district[:-1]}科协",
                    "code": f"9{n:05d}",
                    "region": f"{city}{district}",
                    "organisation_code": f"5113{n:06d}X",
                    "head": rng.choice("王李张刘陈杨赵黄周吴")
                    + rng.choice(("明", "华", "强", "丽")),
                    "phone": f"0311-{rng.randint(1000000, 9999999)}",
                    "address": f"{city}{district}人民路{rng.randint(1, 300)}号",
                    "functions": "负责本地区科学技术普及、学术交流和科技工作者服务工作。",
                    "supervising_division_id": big.pk
                    if n < big_count
                    else division_ids[n % len(division_ids)],
                }
            )
        copy_rows(Department, department_rows)
        _reset_sequence(Department)

        # Users: a clerk per department, the reviewers spread over the divisions (the first
        # of them, like the demo reviewer, in the big one).
        user_rows, memberships = [], []
        next_user = _next_id(User)
        for n, department in enumerate(department_rows):
            user_rows.append(
                {
                    "id": next_user + n,
                    "password": password,
                    "username": f"clerk{n:05d}",
                    "last_name": f"{department['short_name']}申报员",
                    "email": f"clerk{n:05d}@example.com",
                    "date_joined": NOW,
                    "department_id": department["id"],
                }
            )
            memberships.append((next_user + n, groups[STAFF_GROUP]))
        reviewer_ids = {big.pk: [User.objects.get(username="reviewer").pk]}
        all_divisions = [big.pk, *division_ids]
        for n in range(size.reviewers - 1):
            pk = next_user + len(user_rows)
            division = all_divisions[n % len(all_divisions)]
            user_rows.append(
                {
                    "id": pk,
                    "password": password,
                    "username": f"reviewer{n:03d}",
                    "last_name": "审核员",
                    "email": f"reviewer{n:03d}@example.com",
                    "date_joined": NOW,
                    "division_id": division,
                }
            )
            memberships.append((pk, groups[REVIEWER_GROUP]))
            reviewer_ids.setdefault(division, []).append(pk)
        copy_rows(User, user_rows)
        _reset_sequence(User)
        through = User.groups.through
        next_membership = _next_id(through)
        copy_rows(
            through,
            (
                {"id": next_membership + n, "user_id": user, "group_id": group}
                for n, (user, group) in enumerate(memberships)
            ),
        )
        _reset_sequence(through)
        clerk_of = {row["department_id"]: row["id"] for row in user_rows if "department_id" in row}

        # Projects: four lines of spending a department, each running over the years.
        project_rows = []
        next_project = _next_id(Project)
        for department in department_rows:
            for k, title in enumerate(rng.sample(PROJECT_NAMES, PROJECTS_PER_DEPARTMENT)):
                seed = rng.choice(seed_projects)
                project_rows.append(
                    {
                        "id": next_project + len(project_rows),
                        "department_id": department["id"],
                        "name": title,
                        "code": f"{department['code']}{k + 1:03d}",
                        "period_start": YEARS[-1],
                        "period_end": YEARS[0],
                        **{
                            field: seed.get(field, "")
                            for field in Project.NARRATIVE_FIELDS
                            if field != "funding_source"
                        },
                        "funding_source": "财政拨款",
                    }
                )
        copy_rows(Project, project_rows)
        _reset_sequence(Project)
        log(
            f"  {len(department_rows)} 个单位、{len(user_rows)} 个用户、{len(project_rows)} 个项目："
            f"{time.perf_counter() - started:.1f} s"
        )

        # Declarations: department j % D takes slot j // D; five slots a year (the
        # department-wide table and the four projects), newest year first. Every eighth
        # department's fourth project slot is an adjustment of its third, approved.
        departments_by_index = department_rows
        projects_of = {}
        for project in project_rows:
            projects_of.setdefault(project["department_id"], []).append(project)
        next_declaration = _next_id(Declaration)
        declaration_rows, budget_rows, change_rows, event_rows = [], [], [], []
        slot_ids: dict[tuple[int, int], int] = {}
        count = len(departments_by_index)
        for j in range(wanted_declarations):
            department = departments_by_index[j % count]
            slot = j // count
            year = YEARS[0] - slot // 5
            place = slot % 5
            pk = next_declaration + j
            slot_ids[department["id"], slot] = pk
            clerk = clerk_of[department["id"]]
            reviewers = reviewer_ids.get(department["supervising_division_id"]) or [
                reviewer_ids[big.pk][0]
            ]
            adjusts = None
            if place == 0:
                kind, project = "department", None
                layout = DEPARTMENT_LAYOUTS[department["id"] % 2]
            else:
                kind = "project"
                layout = PROJECT_LAYOUTS[department["id"] % 3]
                project = projects_of[department["id"]][place - 1]
                if place == 4 and department["id"] % 8 == 0:
                    project = projects_of[department["id"]][2]
                    adjusts = slot_ids[department["id"], slot - 1]
            status = _status_of(rng, year)
            if place == 3 and department["id"] % 8 == 0:
                status = "approved"  # adjusted below
            created = _moment(rng, year)
            submitted = reviewed = reviewer = None
            if status != "draft":
                submitted = min(created + timedelta(days=rng.randint(1, 20)), NOW)
            if status in ("approved", "returned"):
                reviewed = min(submitted + timedelta(days=rng.randint(1, 15)), NOW)
                reviewer = rng.choice(reviewers)
            if adjusts is not None:
                created = min(created + timedelta(days=120), NOW)
            seed = rng.choice(seed_declarations)
            row = {
                "id": pk,
                "department_id": department["id"],
                "fiscal_year": year,
                "kind": kind,
                "layout": layout,
                "status": status,
                "money_unit": "yuan" if layout == "hb_county" else "wan_yuan",
                "project_id": project["id"] if project else None,
                "department_name": department["name"],
                "department_short_name": department["short_name"],
                "department_code": department["code"],
                "organisation_code": department["organisation_code"],
                "head": department["head"],
                "phone": department["phone"],
                "address": department["address"],
                "functions": department["functions"],
                "division_name": "",
                "project_name": project["name"] if project else "",
                "project_code": project["code"] if project else "",
                "period_start": project["period_start"] if project else None,
                "period_end": project["period_end"] if project else None,
                **{field: (project or {}).get(field, "") for field in Project.NARRATIVE_FIELDS},
                "overall_target": seed.get("overall_target", ""),
                "annual_target": seed.get("annual_target", "") or f"{year}年度绩效目标。",
                "sub_targets": seed.get("sub_targets", ""),
                "safeguards": seed.get("safeguards", ""),
                "other_tasks": "",
                "adjusts_id": adjusts,
                "adjustment_no": 1 if adjusts else 0,
                "adjustment_reason": "根据年中预算调整，压减部分活动场次。" if adjusts else "",
                "review_round": 0 if status == "draft" else rng.randint(1, 2),
                "submitted_at": submitted,
                "reviewed_at": reviewed,
                "reviewed_by_id": reviewer,
                "grade": rng.choice(("excellent", "good", "good", "fair"))
                if status == "approved"
                else "",
                "version": rng.randint(1, 6),
                "sample_key": None,
                "created_by_id": clerk,
                "created_at": created,
                "updated_at": reviewed or submitted or created,
            }
            declaration_rows.append(row)
            total = Decimal(rng.randint(200, 30000) * 100)
            budget_rows.append(
                {
                    "id": None,
                    "declaration_id": pk,
                    "total": total,
                    "fiscal_appropriation": total,
                    **(
                        {"own_level": total}
                        if layout == "cq_special"
                        else {
                            "basic_expenditure": total * 3 / 10,
                            "project_expenditure": total * 7 / 10,
                        }
                        if kind == "department"
                        else {}
                    ),
                }
            )
            if submitted:
                change_rows.append((pk, "submit", "draft", "submitted", clerk, submitted, ""))
            if status == "returned":
                change_rows.append(
                    (
                        pk,
                        "return",
                        "submitted",
                        "returned",
                        reviewer,
                        reviewed,
                        "请补充满意度指标。",
                    )
                )
            elif status == "approved":
                change_rows.append((pk, "approve", "submitted", "approved", reviewer, reviewed, ""))
            event_rows.append((pk, clerk, created))

        copy_rows(Declaration, declaration_rows)
        _reset_sequence(Declaration)
        next_budget = _next_id(Budget)
        for n, row in enumerate(budget_rows):
            row["id"] = next_budget + n
        copy_rows(Budget, budget_rows)
        _reset_sequence(Budget)
        next_change = _next_id(StatusChange)
        copy_rows(
            StatusChange,
            (
                {
                    "id": next_change + n,
                    "declaration_id": pk,
                    "action": action,
                    "from_status": old,
                    "to_status": new,
                    "by_id": by,
                    "at": at,
                    "comment": comment,
                }
                for n, (pk, action, old, new, by, at, comment) in enumerate(change_rows)
            ),
        )
        _reset_sequence(StatusChange)
        next_event = _next_id(DeclarationEvent)
        copy_rows(
            DeclarationEvent,
            (
                {
                    "id": next_event + n,
                    "declaration_id": pk,
                    "action": "create",
                    "by_id": by,
                    "at": at,
                    "to_version": 1,
                }
                for n, (pk, by, at) in enumerate(event_rows)
            ),
        )
        _reset_sequence(DeclarationEvent)
        log(
            f"  {len(declaration_rows)} 张申报表及其预算、{len(change_rows)} 次状态变更："
            f"{time.perf_counter() - started:.1f} s"
        )

        # Indicators: between a third and twice the average a declaration, summing exactly.
        average = wanted_indicators / wanted_declarations
        counts = [
            max(1, round(rng.uniform(average * 0.3, average * 1.7))) for _ in declaration_rows
        ]
        difference = wanted_indicators - sum(counts)
        step = 1 if difference > 0 else -1
        n = 0
        while difference:
            index = n % len(counts)
            if counts[index] + step >= 1:
                counts[index] += step
                difference -= step
            n += 1
        next_indicator = _next_id(PerformanceIndicator)

        def indicator_rows():
            pk = next_indicator
            for row, count_ in zip(declaration_rows, counts, strict=True):
                weighted = row["layout"] in ("cq_special", "km_project")
                weight = (Decimal(90) / count_).quantize(Decimal("0.01")) if weighted else None
                for order in range(1, count_ + 1):
                    indicator = names.row()
                    indicator.update(id=pk, declaration_id=row["id"], order=order, weight=weight)
                    pk += 1
                    yield indicator

        table = PerformanceIndicator._meta.db_table
        with _IndexesAside([table]):
            copy_rows(PerformanceIndicator, indicator_rows())
        _reset_sequence(PerformanceIndicator)
        log(f"  {wanted_indicators} 条绩效指标：{time.perf_counter() - started:.1f} s")

    # A monitoring round of the newest approved year over the measured clerk's department
    # and some of its neighbours, through the service like a reviewer would open it.
    reviewer = User.objects.get(username="reviewer")
    chosen = Department.objects.filter(
        pk__in=[d["id"] for d in department_rows[: min(40, big_count)]]
    )
    performance.open_round(
        by=reviewer,
        fiscal_year=YEARS[1],
        data_month=7,
        due_date=date(YEARS[1], 8, 31),
        departments=chosen,
    )
    # What the app keeps beside what it writes, and COPY does not: each declaration's
    # indicator-quality facts (the dashboard's; the services store them with every write)
    # and the indicator library's summary of approved declarations (approvals refresh it).
    done = quality.refresh_qualities(
        Declaration.objects.order_by("pk").values_list("pk", flat=True)
    )
    log(f"  {done} 张申报表的指标质量：{time.perf_counter() - started:.1f} s")
    written = history.rebuild()
    log(f"  指标库历史 {written} 行：{time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return Built(
        seconds=time.perf_counter() - started,
        declarations=Declaration.objects.count(),
        indicators=PerformanceIndicator.objects.count(),
    )
