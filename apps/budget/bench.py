"""`renda bench budget --payments N [--year Y]`: the budget app's path from a bureau's files to the screen.

1. A “bureau” database gets N generated payments (the demo generator), and the year is written out as the
   shipped exchange package (codes, projects, indicators, plans, payments as the importers' CSV files).
2. A fresh client SQLite receives the department registry (which arrives by sync) and imports the package with
   the real importers, then builds the query roll-up → ``import_s`` (with its parts).
3. Every early-warning rule runs on the client → ``rules_s`` (``core.budget.warnings.run_rules``).
   ``import_rows_per_s`` is the payments file's rows per second of its import (reading, checking, writing,
   indexes); ``import_vs_raw`` its time against a bare insert of the same rows, as the importer wrote them
   (``executemany`` on SQLite, ``COPY`` on PostgreSQL), into an empty copy of the payments table (same columns
   and key, no secondary indexes: the floor of writing the rows at all) in the same database
   (:func:`measure_raw_insert`); ``import_vs_raw_indexed`` the same against a copy that keeps the table's
   secondary indexes, maintained row by row. ``import_second_process`` says whether the payments file was
   checked by a second process while the rows went in (a large file of new rows on SQLite). With ``--db`` (an empty PostgreSQL database) the client is that
   database and only these import figures are printed.
4. Ten common drill-down and filter queries run through the query layer (median of five runs each, labels
   included) and the same aggregates as hand-written SQL over the indexed base tables (median of five) →
   ``query_max_ms``, ``floor_max_ms`` and ``query_vs_floor`` = query_max_ms ÷ floor_max_ms: the slowest click
   against the slowest hand-written answer. ``query_vs_floor_worst_query`` is the largest per-query ratio, which
   small queries dominate (a few milliseconds of labels and the roll-up check against a 1 ms floor).
5. ``table_open_ms``: the real query page is built offscreen over the client and asked for the single payments
   of the whole year; time until the model holds the first page and the table has painted.

The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, select, text

from apps.cli_zh import examples
from core.budget.query.spec import Filters, QuerySpec
from core.db import make_engine, migrate
from core.models.registry import Department

RUNS = 5


def register_bench(kinds: Any) -> None:
    """Add ``budget`` to the sub-parsers of ``renda bench`` (``apps.bench.BENCH_MODULES``)."""
    p = kinds.add_parser("budget", help="预算联网监督性能：导入、预警规则、钻取查询、支付明细首屏",
                         description="预算联网监督性能：数据包导入、预警规则、十个常用钻取查询、支付明细首屏；最后一行是 JSON",
                         epilog=examples(("renda bench budget --payments 1000000", "一百万条支付明细（约需数分钟）"),
                                         ("renda bench budget --payments 100000 --year 2025 --folder 基准",
                                          "十万条，保留工作目录“基准”以便查看数据包")))
    p.add_argument("--payments", type=int, default=1_000_000, help="支付明细条数 N（默认 1000000）")
    p.add_argument("--year", type=int, default=2024, help="预算年度（默认 2024）")
    p.add_argument("--folder", default=None, help="工作目录（默认临时目录，结束后删除）")
    p.add_argument("--db", default=None,
                   help="客户端数据库 URL（默认工作目录中的 SQLite 文件）；给出一个空的 PostgreSQL 数据库时只测导入")
    p.set_defaults(func=run_budget_bench)


def _log(message: str) -> None:
    print(message, flush=True)


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _median_ms(fn: Callable[[], Any], runs: int = RUNS) -> float:
    fn()  # warm the page cache once, as a user's second click would find it
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


# --- the ten queries and their hand-written floors -------------------------------------------------


def _hand_sql(key: dict[str, str], where: dict[str, str], *, budget: bool = True, plans: bool = True,
              projects: bool = True, plan_where: str = "") -> str:
    """The same aggregate written by hand over the base tables: one branch per measure's table."""
    parts = []
    if budget and projects:
        parts.append(f"SELECT {key['project']} AS k, SUM(budget_fen) AS b, NULL AS i, NULL AS a, NULL AS pl, "
                     f"NULL AS pd, NULL AS n FROM bgt_project WHERE year = :y AND deleted = 0 {where['project']} "
                     "GROUP BY k")
    if budget:
        parts.append(f"SELECT {key['indicator']} AS k, NULL AS b, SUM(amount_fen) AS i, "
                     "SUM(amount_fen + adjusted_fen + carried_over_fen) AS a, NULL AS pl, NULL AS pd, NULL AS n "
                     "FROM bgt_indicator "
                     f"WHERE year = :y AND deleted = 0 {where['indicator']} GROUP BY k")
    if plans:
        parts.append(f"SELECT {key['plan']} AS k, NULL AS b, NULL AS i, NULL AS a, SUM(p.amount_fen) AS pl, "
                     "NULL AS pd, NULL AS n FROM bgt_plan p "
                     "JOIN bgt_indicator i ON i.indicator_no = p.indicator_no AND +i.year = p.year AND i.deleted = 0 "
                     f"WHERE p.year = :y AND p.deleted = 0 {where['plan']} {plan_where} GROUP BY k")
    parts.append(f"SELECT {key['payment']} AS k, NULL AS b, NULL AS i, NULL AS a, NULL AS pl, SUM(amount_fen) AS pd, "
                 "COUNT(*) AS n FROM bgt_payment "
                 f"WHERE year = :y AND deleted = 0 {where['payment']} GROUP BY k")
    return ("SELECT k, SUM(b), SUM(i), SUM(a), SUM(pl), SUM(pd), SUM(n) FROM ("
            + " UNION ALL ".join(parts) + ") GROUP BY k ORDER BY k")


def _same(column: str, plan_column: str | None = None) -> dict[str, str]:
    plan = plan_column or f"i.{column}"
    return {"project": column, "indicator": column, "plan": plan, "payment": column}


def _where(project: str = "", indicator: str = "", plan: str = "", payment: str = "") -> dict[str, str]:
    return {"project": project, "indicator": indicator, "plan": plan, "payment": payment}


def queries(engine: Engine, year: int) -> list[tuple[str, QuerySpec, str]]:
    """The ten most common clicks: (name, spec, hand-written SQL of the same aggregate)."""
    with engine.connect() as conn:
        dept = conn.execute(text("SELECT department_code FROM bgt_project WHERE year = :y AND deleted = 0 "
                                 "GROUP BY department_code ORDER BY SUM(budget_fen) DESC LIMIT 1"), {"y": year}).scalar()
        klass = conn.execute(text("SELECT substr(functional_code, 1, 3) FROM bgt_project WHERE year = :y "
                                  "AND deleted = 0 GROUP BY 1 ORDER BY SUM(budget_fen) DESC LIMIT 1"),
                             {"y": year}).scalar()
        project = conn.execute(text("SELECT code FROM bgt_project WHERE year = :y AND deleted = 0 AND "
                                    "department_code = :d ORDER BY budget_fen DESC LIMIT 1"),
                               {"y": year, "d": dept}).scalar()
    dept, klass, project = str(dept), str(klass), str(project)
    f3 = {"project": "substr(functional_code, 1, 3)", "indicator": "substr(functional_code, 1, 3)",
          "plan": "substr(i.functional_code, 1, 3)", "payment": "substr(functional_code, 1, 3)"}
    f5 = {k: v.replace(", 3)", ", 5)") for k, v in f3.items()}
    e3 = {k: v.replace("functional_code", "economic_code") for k, v in f3.items()}
    book = "AND book = 'general'"
    in_class = (f"AND book = 'general' AND functional_code >= '{klass}' AND functional_code < '{klass}' || "
                "char(1114111)")
    in_dept = f"AND department_code = '{dept}'"
    month_key = {"plan": "CAST(p.month AS TEXT)", "payment": "CAST(month AS TEXT)", "project": "", "indicator": ""}
    return [
        ("books", QuerySpec(year), _hand_sql(_same("book"), _where())),
        ("functional_class", QuerySpec(year, selected=("general",)),
         _hand_sql(f3, _where(book, book, book.replace("book", "i.book"), book))),
        ("functional_item", QuerySpec(year, selected=("general", klass)),
         _hand_sql(f5, _where(in_class, in_class, in_class.replace("book", "i.book").replace(
             "functional_code", "i.functional_code"), in_class))),
        ("departments", QuerySpec(year, path="department"), _hand_sql(_same("department_code", "p.department_code"),
                                                                      _where())),
        ("department_projects", QuerySpec(year, path="department", selected=(dept,)),
         _hand_sql({"project": "code", "indicator": "project_code", "plan": "p.project_code",
                    "payment": "project_code"}, _where(in_dept, in_dept, in_dept.replace("department", "p.department"),
                                                       in_dept))),
        ("project_indicators", QuerySpec(year, path="department", selected=(dept, project)),
         _hand_sql({"project": "''", "indicator": "indicator_no", "plan": "p.indicator_no", "payment": "indicator_no"},
                   _where("",
                          in_dept + f" AND project_code = '{project}'",
                          f"AND p.department_code = '{dept}' AND p.project_code = '{project}'",
                          in_dept + f" AND project_code = '{project}'"), projects=False)),
        ("months", QuerySpec(year, path="month"), _hand_sql(month_key, _where(), budget=False)),
        ("economic_class", QuerySpec(year, path="economic"),
         _hand_sql(e3, _where())),
        ("departments_first_half", QuerySpec(year, path="department", filters=Filters(month_from=1, month_to=6)),
         _hand_sql(_same("department_code", "p.department_code"),
                   _where(payment="AND month BETWEEN 1 AND 6"), plan_where="AND p.month BETWEEN 1 AND 6")),
        ("departments_payee", QuerySpec(year, path="department", filters=Filters(payee="华申")),
         _hand_sql(_same("department_code"), _where(payment="AND payee LIKE '%华申%'"), budget=False, plans=False)),
    ]


# --- the run -----------------------------------------------------------------------------------------


def _copy_registry(bureau: Engine, client: Engine) -> int:
    """Departments (the registry) reach a client by sync; copy them as they are."""
    table: Any = Department.__table__
    with bureau.connect() as src, client.begin() as dst:
        rows = [dict(r) for r in src.execute(select(table)).mappings()]
        if rows:
            dst.execute(insert(table), rows)
    return len(rows)


def measure_raw_insert(engine: Engine, table: str, *, indexes: bool = True) -> float:
    """Seconds for a bare insert of ``table``'s rows, as the importer wrote them, into an empty copy of the table
    in the same database: the same columns, keys and (with ``indexes``) secondary indexes, one transaction, no
    checks, no stamping — one prepared ``executemany`` on SQLite, one ``COPY … FROM STDIN`` on PostgreSQL (the
    fastest bare insert each database has). The copy is dropped afterwards."""
    copy = f"bench_raw_{table}"
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(f"SELECT * FROM {table}").all()
        if sqlite:
            ddl = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                       (table,)).scalar_one()
            create = [ddl.replace(table, copy, 1)] + [sql.replace(table, copy) for (sql,) in conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                (table,)) if indexes]
        else:
            create = [f"CREATE TABLE {copy} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS"
                      f"{' INCLUDING INDEXES' if indexes else ''})"]
            if not indexes:  # the key stays, as in SQLite's copy of the table
                create.append(f"ALTER TABLE {copy} ADD PRIMARY KEY (id)")
    width = len(rows[0]) if rows else 0
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {copy}")
        for sql in create:
            conn.exec_driver_sql(sql)
    params = [tuple(r) for r in rows]
    start = time.perf_counter()
    with engine.begin() as conn:
        if sqlite:
            conn.exec_driver_sql(f"INSERT INTO {copy} VALUES ({', '.join('?' * width)})", params)
        else:
            raw: Any = conn.connection.driver_connection
            with raw.cursor() as cursor, cursor.copy(f"COPY {copy} FROM STDIN") as pipe:
                for row in params:
                    pipe.write_row(row)
    elapsed = time.perf_counter() - start
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP TABLE {copy}")
    return elapsed


def measure_table_open(engine: Engine, year: int) -> float:
    """Milliseconds from building the query page to the first screen of all single payments painted."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from apps.budget.common.context import standalone
    from apps.budget.query.page import QueryPage
    from apps.common.application import application
    from apps.common.qt import QtCore, QTimer
    from apps.common.settings import ClientSettings
    from apps.common.tasks import wait_for_tasks

    app = application(ClientSettings())
    ctx = standalone(engine, year=year)
    start = time.perf_counter()
    page = QueryPage(ctx)
    page.resize(1600, 1000)
    page.payments_button.setChecked(True)
    page.show()
    loop = QtCore.QEventLoop()
    page.payment_model.page_loaded.connect(lambda _n: loop.quit())
    QTimer.singleShot(60_000, loop.quit)
    if page.payment_model.rowCount() == 0:
        loop.exec()
    page.payment_table.viewport().repaint()
    app.processEvents()
    elapsed = (time.perf_counter() - start) * 1000
    rows = page.payment_model.rowCount()
    wait_for_tasks()
    page.close()
    page.deleteLater()
    app.processEvents()
    if rows == 0:
        raise RuntimeError("支付明细表没有显示任何行")
    return round(elapsed, 1)


def run_budget_bench(args: argparse.Namespace) -> int:
    from core.budget.demo import generate
    from core.budget.exchange import export_package, import_package
    from core.budget.query.rollup import ensure_rollup
    from core.budget.query.run import run_query

    n, year = int(args.payments), int(args.year)
    if n < 1_000:
        _log("支付条数至少 1000")
        return 2
    folder = Path(args.folder) if args.folder else Path(tempfile.mkdtemp(prefix="renda-bench-budget-"))
    folder.mkdir(parents=True, exist_ok=True)
    keep = bool(args.folder)
    try:
        bureau = make_engine(f"sqlite:///{folder / 'bureau.sqlite3'}")
        migrate(bureau)
        _log(f"生成 {n:,} 条支付明细（财政局侧）…")
        generate_s, manifest = _timed(lambda: generate(bureau, year=year, payments=n))
        package = folder / f"budget-{year}.zip"
        _log("写出交换数据包（科目、项目、指标、用款计划、支付明细）…")
        export_s, _ = _timed(lambda: export_package(bureau, year, package, producer="市财政局（基准测试）",
                                                    kinds=("codes", "projects", "indicators", "plans",
                                                           "payments")))

        client = make_engine(args.db or f"sqlite:///{folder / 'client.sqlite3'}")
        migrate(client)
        _log("客户端：同步部门，用导入程序导入数据包…")
        copy_s, _ = _timed(lambda: _copy_registry(bureau, client))
        importer_s, outcome = _timed(lambda: import_package(client, package, actor="bench"))
        rollup_s, _ = _timed(lambda: ensure_rollup(client))
        import_s = copy_s + importer_s + rollup_s
        imported = sum(r.inserted for r in outcome.results)
        bureau.dispose()
        payments_result = next(r for r in outcome.results if r.kind == "payments")
        _log("同一数据库中直接插入同样的支付明细行作对照…")
        raw_s = measure_raw_insert(client, "bgt_payment")
        bare_s = measure_raw_insert(client, "bgt_payment", indexes=False)
        figures: dict[str, Any] = {
            "database": client.dialect.name,
            "payments": manifest.payments, "year": year, "imported_rows": imported,
            "imported_by_kind": {r.kind: r.inserted for r in outcome.results},
            "generate_s": round(generate_s, 2), "export_s": round(export_s, 2),
            "import_s": round(import_s, 2), "import_parts_s": {"registry": round(copy_s, 2),
                                                               "importers": round(importer_s, 2),
                                                               "rollup": round(rollup_s, 2)},
            "import_payments_s": round(payments_result.seconds, 2),
            "import_second_process": payments_result.second_process,
            "import_rows_per_s": round(payments_result.inserted / payments_result.seconds),
            "raw_insert_s": round(bare_s, 2),
            "import_vs_raw": round(payments_result.seconds / bare_s, 2) if bare_s else None,
            "raw_insert_indexed_s": round(raw_s, 2),
            "import_vs_raw_indexed": round(payments_result.seconds / raw_s, 2) if raw_s else None,
        }
        if client.dialect.name != "sqlite":  # the hand-written floors and the client's screen are SQLite's
            client.dispose()
            print(json.dumps(figures, ensure_ascii=False), flush=True)
            return 0

        _log("运行全部预警规则…")
        from core.budget.warnings import run_rules  # built alongside; imported when the bench runs

        rules = run_rules(client, year)
        rules_s = float(rules.seconds)

        _log("钻取查询与手写 SQL 对照…")
        per_query: list[dict[str, Any]] = []
        for name, spec, sql in queries(client, year):

            def layer(spec: QuerySpec = spec) -> None:
                run_query(client, spec)

            query_ms = _median_ms(layer)

            def floor(sql: str = sql) -> None:
                with client.connect() as conn:
                    conn.execute(text(sql), {"y": year}).all()

            floor_ms = _median_ms(floor)
            rows = len(run_query(client, spec).rows)
            per_query.append({"name": name, "query_ms": query_ms, "floor_ms": floor_ms, "rows": rows,
                              "ratio": round(query_ms / floor_ms, 3) if floor_ms else None})
        query_max = max(q["query_ms"] for q in per_query)
        floor_max = max(q["floor_ms"] for q in per_query)

        _log("支付明细表首屏…")
        table_open_ms = measure_table_open(client, year)
        client.dispose()
        figures.update({
            "rules_s": round(rules_s, 3), "warnings_raised": rules.raised,
            "query_max_ms": query_max, "floor_max_ms": floor_max,
            "query_vs_floor": round(query_max / floor_max, 3) if floor_max else None,
            "query_vs_floor_worst_query": max(q["ratio"] or 0 for q in per_query),
            "queries": per_query, "table_open_ms": table_open_ms,
        })
        print(json.dumps(figures, ensure_ascii=False), flush=True)
        return 0
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
