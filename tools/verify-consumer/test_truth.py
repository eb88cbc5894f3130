"""Tests of truth.py: paths, normalisation, and that every kind of difference is caught."""

import datetime
import unittest

import truth

EVENT = {
    "uuid": "e-1",
    "published": datetime.datetime(2024, 5, 1, 10, 0, 0, 123000,
                                   tzinfo=datetime.timezone.utc),
    "actor": {"id": "00u1"},
    "targets": [{"id": "00g1"}, {"id": "00u2"}],
}


class ExtractTest(unittest.TestCase):
    def test_paths(self):
        cases = [
            ("actor.id", "00u1"),
            ("targets[*].id", ["00g1", "00u2"]),
            ("targets[1].id", "00u2"),
            ("published", "2024-05-01T10:00:00.123Z"),
        ]
        for path, want in cases:
            with self.subTest(path):
                got = truth.normalize(truth.extract(EVENT, path))
                self.assertEqual(got, want, f"got {got!r}, want {want!r}")

    def test_missing(self):
        for path in ("actor.name", "targets[5].id", "uuid[*]", "nope"):
            with self.subTest(path):
                with self.assertRaises(KeyError):
                    truth.extract(EVENT, path)


def checker(values=(), topics=None):
    c = truth.Checker({"topics": topics or {}, "values": list(values)}, "okta.")
    c.saw("okta.employees", "t/00u1", {"id": "00u1", "department": None,
                                       "custom_attributes": {"costCode": "42"}})
    c.saw("okta.employees", "t/00u2", {"id": "00u2", "department": "Sales"})
    c.saw("okta.employees", "t/00u2", None)
    c.saw("okta.activity", "t", EVENT)
    return c


class CheckerTest(unittest.TestCase):
    def test_matching_truth_has_no_differences(self):
        c = checker(
            values=[
                {"topic": "employees", "key": "t/00u1", "field": "department", "want": None},
                {"topic": "employees", "key": "t/00u1",
                 "field": "custom_attributes.costCode", "want": "42"},
                {"topic": "activity", "match": {"uuid": "e-1"},
                 "field": "targets[*].id", "want": ["00g1", "00u2"]},
            ],
            topics={"employees": {"upserts": 2, "tombstones": 1,
                                  "keys": ["t/00u1", "t/00u2"]},
                    "activity": {"upserts": 1}})
        self.assertEqual(c.differences(), [])

    def test_each_difference_is_reported(self):
        cases = [
            ("upserts", {"topics": {"employees": {"upserts": 3}}}, "got 2 upserts, want 3"),
            ("tombstones", {"topics": {"employees": {"tombstones": 0}}},
             "got 1 tombstones, want 0"),
            ("missing key", {"topics": {"employees": {"keys": ["t/00u1", "t/00u2", "t/x"]}}},
             "1 keys missing, e.g. t/x"),
            ("unexpected key", {"topics": {"employees": {"keys": ["t/00u1"]}}},
             "1 keys unexpected, e.g. t/00u2"),
            ("missing topic", {"topics": {"groups": {"upserts": 1}}}, "topic missing"),
            ("wrong value", {"values": [{"topic": "employees", "key": "t/00u1",
                                         "field": "department", "want": "Sales"}]},
             "got None, want 'Sales'"),
            ("tombstoned", {"values": [{"topic": "employees", "key": "t/00u2",
                                        "field": "id", "want": "00u2"}]}, "tombstone"),
            ("no such record", {"values": [{"topic": "activity", "match": {"uuid": "e-9"},
                                            "field": "uuid", "want": "e-9"}]},
             "no record selected"),
            ("no such field", {"values": [{"topic": "activity", "match": {"uuid": "e-1"},
                                           "field": "actor.name", "want": "x"}]},
             "no field 'name'"),
        ]
        for name, spec, want in cases:
            with self.subTest(name):
                c = checker(spec.get("values", ()), spec.get("topics"))
                got = c.differences()
                self.assertEqual(len(got), 1, f"got {got}, want one difference")
                self.assertIn(want, got[0])


if __name__ == "__main__":
    unittest.main()
