"""A reading with pages that ran out of OCR time is not handed to the next upload of the
same bytes: that upload reads the file again and its complete reading replaces the gaps."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from services import parsed_files as cache
from storage.models import ParsedPage

LONG = timedelta(seconds=45)
IMAGE = (1, b"png-1", 800, 1131, 595.0, 842.0)


def test_an_incomplete_reading_is_read_again_by_the_next_upload(app):
    with app.app_context():
        database = app.extensions["vanthu.db"]
        first = cache.claim(database, "e" * 64, "v1", "job-1", abandon_after=LONG)
        assert first.turn is cache.Turn.MINE
        cache.finish(database, first.parsed_id, "job-1", {"unread_pages": [2]}, [IMAGE])

        again = cache.claim(database, "e" * 64, "v1", "job-2", abandon_after=LONG)
        assert (again.turn, again.parsed_id) == (cache.Turn.MINE, first.parsed_id)
        # Nor does an upload starting meanwhile copy the gaps.
        third = cache.claim(database, "e" * 64, "v1", "job-3", abandon_after=LONG)
        assert third.turn is not cache.Turn.DONE

        complete = {"unread_pages": [], "number": "15"}
        # (Page 1 drawn again is marked, to see which one is kept.)
        redrawn = (1, b"png-1-again", *IMAGE[2:])
        cache.finish(
            database, again.parsed_id, "job-2", complete, [redrawn, (2, b"png-2", *IMAGE[2:])]
        )
        with database.session() as session:
            result, images = cache.reading(session, first.parsed_id)
            pages = session.execute(
                select(ParsedPage.page, ParsedPage.png).order_by(ParsedPage.page)
            ).all()
        assert result == complete and [p[0] for p in images] == [1, 2]
        # The page the incomplete reading had is kept, not replaced (the same bytes give the
        # same image): the uploads that showed it still do.
        assert [tuple(page) for page in pages] == [(1, b"png-1"), (2, b"png-2")]
        later = cache.claim(database, "e" * 64, "v1", "job-4", abandon_after=LONG)
        assert later.turn is cache.Turn.DONE


def test_a_complete_reading_is_shared(app):
    with app.app_context():
        database = app.extensions["vanthu.db"]
        first = cache.claim(database, "f" * 64, "v1", "job-1", abandon_after=LONG)
        cache.finish(database, first.parsed_id, "job-1", {"unread_pages": []}, [IMAGE])
        later = cache.claim(database, "f" * 64, "v1", "job-2", abandon_after=LONG)
        assert later.turn is cache.Turn.DONE
