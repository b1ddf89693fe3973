"""`gitspec check` of an architecture's data model and API contract as the generators read them:
names the DDL spells alike, endpoints that are one route, references to keys they cannot point at."""
from __future__ import annotations

from conftest import run_gitspec

HEAD = """kind: architecture
id: arch
title: Architecture
systemDiagram: |
  flowchart LR
    api --> db
components:
  - {name: API, responsibility: Serves the endpoints.}
"""
ACCOUNT = """    - name: Account
      description: An account.
      fields:
        - {name: id, type: uuid, primaryKey: true, required: true}
"""
LIST_ACCOUNTS = "    - {method: GET, path: /accounts, summary: List accounts., operationId: listAccounts}\n"


def architecture(entities: str = ACCOUNT, endpoints: str = LIST_ACCOUNTS) -> str:
    return (HEAD + "dataModel:\n  entities:\n" + entities
            + "apiContract:\n  authentication: {type: bearer, description: Bearer tokens.}\n  endpoints:\n"
            + endpoints)


def findings(result) -> list[str]:
    return [line for line in result.out.splitlines() if ": error: " in line]


def test_a_valid_architecture_has_no_findings(repo):
    result = run_gitspec(repo({"specs/arch.yaml": architecture()}), "check")
    assert result.code == 0, result


def test_names_the_ddl_spells_alike_are_errors_at_the_second(repo):
    """Before, check passed; the DDL had `user_id text` twice and two `CREATE TABLE http_server`, and the
    second entity's CRUD endpoints were missing from the OpenAPI document and routes.py."""
    entities = """    - name: HTTPServer
      description: A server.
      fields:
        - {name: id, type: uuid, primaryKey: true, required: true}
        - {name: userId, type: string}
        - {name: user_id, type: string}
        - {name: userId, type: string}
    - name: HttpServer
      description: Another server.
      fields:
        - {name: id, type: uuid, primaryKey: true, required: true}
"""
    ws = repo({"specs/arch.yaml": architecture(entities)})
    result = run_gitspec(ws, "check")
    assert result.code == 1, result
    assert findings(result) == [
        "specs/arch.yaml:16:18: error: field 'user_id' and field 'userId' (line 15) of entity 'HTTPServer' would both "
        "be column 'user_id'; rename one [name-clash]",
        "specs/arch.yaml:17:18: error: duplicate field 'userId' in entity 'HTTPServer' (also at line 15) [name-clash]",
        "specs/arch.yaml:18:13: error: entity 'HttpServer' and entity 'HTTPServer' (line 11) would both be table "
        "'http_server', with the same API paths; rename one [name-clash]",
    ], result
    build = run_gitspec(ws, "build", "--no-render")
    assert build.code == 1 and build.err.count("[name-clash]") == 3, build



def test_two_endpoints_with_one_method_and_route_are_an_error_at_the_second(repo):
    """Before, check passed and the second GET /accounts was missing from the OpenAPI document and routes.py
    (openapi.py's comment said check reported it; nothing did)."""
    endpoints = (LIST_ACCOUNTS
                 + "    - {method: GET, path: /accounts, summary: Search., operationId: searchAccounts}\n"
                 + "    - {method: GET, path: '/accounts/{id}', summary: Get one., operationId: getAccount}\n"
                 + "    - {method: GET, path: '/accounts/{accountId}', summary: Get., operationId: fetchAccount}\n"
                 + "    - {method: POST, path: /accounts, summary: Create., operationId: createAccount}\n")
    result = run_gitspec(repo({"specs/arch.yaml": architecture(endpoints=endpoints)}), "check")
    assert result.code == 1, result
    assert findings(result) == [
        "specs/arch.yaml:19:27: error: endpoint GET /accounts is defined twice (first at line 18); the OpenAPI "
        "document and routes.py keep only the first: change the method or path, or remove one [duplicate-endpoint]",
        "specs/arch.yaml:21:27: error: endpoint GET /accounts/{accountId} is the same route as GET /accounts/{id} "
        "(line 20): path parameter names do not tell paths apart, so every request would reach the first: change "
        "the method or path, or remove one [duplicate-endpoint]",
    ], result


def test_two_endpoints_with_one_operation_id_are_an_error_at_the_second(repo):
    """Before, check passed: the OpenAPI document renamed the second `listAccounts_2` and routes.py gave FastAPI
    two operations with the id `listAccounts`. An id derived from the method and path is not the author's, so
    a derived one may repeat (the generators number it); an explicit one may not take a derived or numbered id."""
    endpoints = (LIST_ACCOUNTS
                 + "    - {method: GET, path: /users, summary: List users., operationId: listAccounts}\n"
                 + "    - {method: POST, path: /users, summary: Create a user.}\n"
                 + "    - {method: GET, path: /teams, summary: List teams., operationId: postUsers}\n"
                 + "    - {method: GET, path: /a-b, summary: Dashes.}\n"
                 + "    - {method: GET, path: /a_b, summary: Underscores.}\n"
                 + "    - {method: GET, path: /c, summary: Numbered., operationId: getAB_2}\n")
    ws = repo({"specs/arch.yaml": architecture(endpoints=endpoints)})
    result = run_gitspec(ws, "check")
    assert result.code == 1, result
    assert findings(result) == [
        "specs/arch.yaml:19:70: error: operationId 'listAccounts' of GET /users is already the operation id of "
        "GET /accounts (line 18); operation ids are unique: rename one [duplicate-operation-id]",
        "specs/arch.yaml:21:70: error: operationId 'postUsers' of GET /teams is already the operation id of "
        "POST /users (line 20); operation ids are unique: rename one [duplicate-operation-id]",
        "specs/arch.yaml:24:64: error: operationId 'getAB_2' of GET /c is already the operation id of "
        "GET /a_b (line 23); operation ids are unique: rename one [duplicate-operation-id]",
    ], result


def test_a_reference_must_match_the_one_key_it_points_at(repo):
    """Before, check passed and the DDL had `REFERENCES seat` with no column (a composite key) and a text column
    referencing a uuid key: PostgreSQL refused both."""
    entities = ACCOUNT + """    - name: Seat
      description: A seat, keyed by row and number.
      fields:
        - {name: row, type: string, primaryKey: true, required: true}
        - {name: number, type: integer, primaryKey: true, required: true}
    - name: Note
      description: A note with no key.
      fields:
        - {name: body, type: text}
    - name: Booking
      description: A booking.
      fields:
        - {name: id, type: uuid, primaryKey: true, required: true}
        - {name: accountId, type: string, references: Account}
        - {name: seatRow, type: string, references: Seat}
        - {name: noteId, type: uuid, references: Note}
        - {name: parentId, type: uuid, references: Booking}
        - {name: label, type: text, references: Ghost}
"""
    result = run_gitspec(repo({"specs/arch.yaml": architecture(entities)}), "check")
    assert result.code == 1, result
    assert findings(result) == [
        "specs/arch.yaml:28:55: error: field 'accountId' of 'Booking' references 'Account', whose key 'id' is uuid: "
        "the field is string; give it type uuid [bad-reference]",
        "specs/arch.yaml:29:53: error: field 'seatRow' of 'Booking' references 'Seat', whose primary key has 2 fields "
        "(row, number): one field cannot point at it; give it a single key field, or reference another entity "
        "[bad-reference]",
        "specs/arch.yaml:30:50: error: field 'noteId' of 'Booking' references 'Note', which has no primary key: mark "
        "one of its fields primaryKey [bad-reference]",
        "specs/arch.yaml:32:49: error: unknown entity 'Ghost' in arch#dataModel/entities/3/fields/5/references "
        "[unknown-reference]",
    ], result


def test_an_integer_may_reference_a_bigint_key(repo):
    """PostgreSQL compares integer with bigint in a foreign key: a review found check refusing it."""
    entities = """    - name: Ledger
      description: A ledger, keyed by a bigint.
      fields:
        - {name: id, type: bigint, primaryKey: true, required: true}
    - name: Entry
      description: An entry of a ledger.
      fields:
        - {name: id, type: integer, primaryKey: true, required: true}
        - {name: ledgerId, type: integer, references: Ledger}
        - {name: previousId, type: bigint, references: Entry}
"""
    result = run_gitspec(repo({"specs/arch.yaml": architecture(entities)}), "check")
    assert result.code == 0, result
