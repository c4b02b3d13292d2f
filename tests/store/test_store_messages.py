"""The shared store's reasons and refusals as the page shows them: English as before to str(),
in the reader's language where the page shows them (Messages, layers/i18n.py); the ids, names
and files they hold as written."""

import datetime as dt

from psycopg_pool import PoolTimeout

from layers.i18n import language, localized
from layers.store.postgis import AreaExists, SavedAreas, StoreTimeouts, unavailable

AT = dt.datetime(2026, 12, 7, 1, 2, tzinfo=dt.UTC)


def test_an_outages_reason_is_english_as_before_and_translated_where_shown():
    error = unavailable(PoolTimeout("pool timeout"), StoreTimeouts(pool_s=10))
    assert str(error) == (
        "no database connection came free within 10 s (the database is down or busy)"
    )
    with language("ja"):
        assert localized(error.reason) == (
            "10 秒以内に空いたデータベース接続がありませんでした"
            "（データベースが停止中または混雑しています）"
        )
    with language("zh-CN"):
        assert localized(error.reason) == "10 秒内没有可用的数据库连接（数据库已停机或繁忙）"


def test_a_drawn_area_refused_and_saved_read_in_the_readers_language():
    refused = AreaExists("yonaguni-box", "eddie@example.org", AT, None)
    assert str(refused).startswith('an area "yonaguni-box" is already stored (saved by eddie')
    with language("zh-TW"):
        assert localized(refused.args[0]) == (
            '區域 "yonaguni-box" 已儲存（由 eddie@example.org 於 2026-12-07 01:02 UTC 儲存）；'
            "繪製的區域絕不取代已儲存的區域：請改用其他 id 儲存"
        )
    saved = SavedAreas(["yonaguni-box"], "eddie@example.org", AT, 2)
    assert saved.sentence() == (
        "Saved 1 area (yonaguni-box) for the team as eddie@example.org at 2026-12-07 01:02 UTC; "
        "2 events tagged."
    )
    with language("ja"):
        assert saved.sentence() == (
            "eddie@example.org として 2026-12-07 01:02 UTC にチームのために 1 件の区域"
            "（yonaguni-box）を保存しました。2 件のイベントをタグ付けしました。"
        )
