"""Drives a running Woow server with the real Odoo client libraries from PyPI: odoorpc,
odoo-client-lib, Odooly, aio-odoorpc (over httpx) and Python's xmlrpc.client.

Usage: python odoo_clients.py PORT DATABASE LOGIN PASSWORD
Prints one line per check and "N passed, N failed" at the end; exits non-zero on any failure.
Run by the Swift test ClientLibraryTests (the test command installs the libraries in a virtualenv).
"""
import asyncio
import sys
import xmlrpc.client

import httpx
import odooly
import odoolib
import odoolib.tools
import odoorpc
from aio_odoorpc import AsyncOdooRPC

port, database, login, password = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
results = {"passed": 0, "failed": 0}


def check(name, condition, detail=""):
    results["passed" if condition else "failed"] += 1
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else f"  ({detail})"))


def raises(name, call, exception_type, text=None):
    try:
        call()
    except exception_type as error:  # the library's own exception type
        check(name, text is None or text in str(error), f"message was {error!r}")
        return
    except Exception as error:  # noqa: BLE001
        check(name, False, f"raised {type(error).__name__}: {error}")
        return
    check(name, False, "nothing was raised")


# --- odoorpc (JSON-RPC) --------------------------------------------------------------------
odoo = odoorpc.ODOO("127.0.0.1", port=port)
check("odoorpc: version is 18.0", odoo.version == "18.0", odoo.version)
check("odoorpc: database list", database in odoo.db.list(), odoo.db.list())
odoo.login(database, login, password)
check("odoorpc: login and context", odoo.env.uid > 0 and "lang" in odoo.env.context, odoo.env.context)
Partner = odoo.env["res.partner"]
company = Partner.create({"name": "odoorpc Company", "is_company": True})
person = Partner.create({"name": "odoorpc Person", "parent_id": company, "email": "p@odoorpc.test"})
check("odoorpc: create returns ids", isinstance(company, int) and isinstance(person, int))
rows = Partner.read([person], ["name", "parent_id", "email"])
check("odoorpc: read many2one pair", rows[0]["parent_id"] == [company, "odoorpc Company"], rows)
found = Partner.search([("email", "=", "p@odoorpc.test")])
check("odoorpc: search by domain", found == [person], found)
sr = Partner.search_read([("parent_id", "=", company)], ["name"])
check("odoorpc: search_read", [r["name"] for r in sr] == ["odoorpc Person"], sr)
Partner.write([person], {"phone": "+32 2 555 12 12"})
check("odoorpc: write", Partner.read([person], ["phone"])[0]["phone"] == "+32 2 555 12 12")
check("odoorpc: search_count", Partner.search_count([("parent_id", "=", company)]) == 1)
check("odoorpc: name_search", [company, "odoorpc Company"] in Partner.name_search("odoorpc Comp"))
fields = Partner.fields_get(["name", "parent_id"])
check("odoorpc: fields_get", fields["parent_id"]["type"] == "many2one" and fields["parent_id"]["relation"] == "res.partner", fields)
record = Partner.browse(person)
check("odoorpc: browse attribute access", record.name == "odoorpc Person" and record.parent_id.id == company)
raises("odoorpc: missing model", lambda: odoo.env["no.such.model"], odoorpc.error.Error, "no.such.model")
raises("odoorpc: unknown method is an RPCError", lambda: Partner.no_such_method([person]), odoorpc.error.RPCError, "does not exist")
raises("odoorpc: validation error is an RPCError", lambda: Partner.create({"email": "no-name"}), odoorpc.error.RPCError, "required")
Partner.unlink([person, company])
check("odoorpc: unlink", Partner.search_count([("id", "in", [person, company])]) == 0)
user = odoo.env.user
check("odoorpc: the user's company", user.company_id.name == "WoowTech" and user.company_id.currency_id.name == "USD",
      (user.company_id.name, user.company_id.currency_id.name))
check("odoorpc: the user's companies", [c.id for c in user.company_ids] == [user.company_id.id])
check("odoorpc: the user's partner", user.partner_id.name == user.name, (user.partner_id.name, user.name))
bad = odoorpc.ODOO("127.0.0.1", port=port)
raises("odoorpc: wrong password", lambda: bad.login(database, login, "wrong-password"), odoorpc.error.RPCError)

# --- odoo-client-lib over XML-RPC and JSON-RPC ----------------------------------------------
for protocol in ("xmlrpc", "jsonrpc"):
    connection = odoolib.get_connection(
        hostname="127.0.0.1", port=port, database=database, login=login, password=password, protocol=protocol)
    model = connection.get_model("res.partner")
    new = model.create({"name": f"odoolib {protocol}"})
    check(f"odoolib {protocol}: create", isinstance(new, int), new)
    check(f"odoolib {protocol}: read", model.read([new], ["name"])[0]["name"] == f"odoolib {protocol}")
    model.write([new], {"city": "Brussels"})
    check(f"odoolib {protocol}: search by domain", model.search([("city", "=", "Brussels"), ("id", "=", new)]) == [new])
    check(f"odoolib {protocol}: search_read", model.search_read([("id", "=", new)], ["city"])[0]["city"] == "Brussels")
    check(f"odoolib {protocol}: search_count", model.search_count([("id", "=", new)]) == 1)
    check(f"odoolib {protocol}: name_search", model.name_search(f"odoolib {protocol}")[0][0] == new)
    check(f"odoolib {protocol}: fields_get", model.fields_get(["city"])["city"]["type"] == "char")
    model.unlink([new])
    check(f"odoolib {protocol}: unlink", model.search_count([("id", "=", new)]) == 0)
    missing = connection.get_model("no.such.model")
    raises(f"odoolib {protocol}: missing model raises", lambda: missing.search([]), Exception, "doesn't exist")
    wrong = odoolib.get_connection(
        hostname="127.0.0.1", port=port, database=database, login=login, password="wrong-password", protocol=protocol)
    raises(f"odoolib {protocol}: wrong password", lambda: wrong.get_model("res.partner").search([]), odoolib.tools.AuthenticationError)

# --- Odooly (web session, then JSON-RPC) ------------------------------------------------------
for server in (f"http://127.0.0.1:{port}", f"http://127.0.0.1:{port}/jsonrpc"):
    kind = "jsonrpc" if server.endswith("/jsonrpc") else "web"
    client = odooly.Client(server, database)
    client.login(login, password, database=database)
    env = client.env
    check(f"odooly {kind}: login", env.uid > 0, env.uid)
    models = env.models("res.")
    check(f"odooly {kind}: models", {"res.partner", "res.users", "res.company"} <= set(models), models)
    Partners = env["res.partner"]
    created = Partners.create({"name": f"odooly {kind}", "is_company": True})
    check(f"odooly {kind}: create and attribute read", created.name == f"odooly {kind}", created)
    found = Partners.search([("name", "=", f"odooly {kind}")])
    check(f"odooly {kind}: search", found.ids == [created.id], found)
    check(f"odooly {kind}: read", Partners.read([created.id], ["name"])[0]["name"] == f"odooly {kind}")
    created.write({"city": "Taipei"})
    check(f"odooly {kind}: write", Partners.browse(created.id).city == "Taipei")
    check(f"odooly {kind}: company", env.user.company_id.name == "WoowTech" and env.user.company_id.currency_id.symbol == "$")
    created.unlink()
    check(f"odooly {kind}: unlink", not Partners.search([("id", "=", created.id)]))
    raises(f"odooly {kind}: missing model", lambda: env["no.such.model"], odooly.Error, "Model not found")


# --- aio-odoorpc (asyncio, over httpx) -------------------------------------------------------
async def aio_checks():
    async with httpx.AsyncClient() as http:
        client = AsyncOdooRPC(database=database, username_or_uid=login, password=password, http_client=http,
                              url_jsonrpc_endpoint=f"http://127.0.0.1:{port}/jsonrpc", default_model_name="res.partner")
        await client.login()
        check("aio-odoorpc: login", isinstance(client.uid, int) and client.uid > 0, client.uid)
        fields = await client.execute_kw("fields_get", [], {})
        check("aio-odoorpc: fields_get of every field", "name" in fields and "parent_id" in fields, sorted(fields)[:5])
        ids = await client.search([("is_company", "=", True)], limit=2)
        check("aio-odoorpc: search", len(ids) == 2, ids)
        rows = await client.search_read([("id", "in", ids)], fields=["name", "parent_id"])
        check("aio-odoorpc: search_read", sorted(r["id"] for r in rows) == sorted(ids), rows)
        check("aio-odoorpc: search_count", await client.search_count([("id", "in", ids)]) == 2)
        one = await client.read(ids[0], fields=["name"])
        check("aio-odoorpc: read", one and one[0]["id"] == ids[0], one)
        data = await client.copy_data(ids[0])
        check("aio-odoorpc: copy_data", data and data[0]["name"] == one[0]["name"] and "id" not in data[0], data)
        check("aio-odoorpc: write", await client.write(ids[0], {"phone": "+886 2 5555 0000"}) is True)


asyncio.run(aio_checks())

# --- the standard library's XML-RPC client (Odoo's documentation examples) --------------------
common = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}/xmlrpc/2/common")
uid = common.authenticate(database, login, password, {})
check("xmlrpc.client: authenticate", uid > 0, uid)
check("xmlrpc.client: wrong password is False", common.login(database, login, "nope") is False)
models = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}/xmlrpc/2/object")
count = models.execute_kw(database, uid, password, "res.partner", "search_count", [[]])
check("xmlrpc.client: execute_kw", isinstance(count, int), count)
try:
    models.execute_kw(database, uid, "nope", "res.partner", "search_count", [[]])
    check("xmlrpc.client: bad password fault 3", False, "no fault")
except xmlrpc.client.Fault as fault:
    check("xmlrpc.client: bad password fault 3", fault.faultCode == 3, fault.faultCode)

print(f"{results['passed']} passed, {results['failed']} failed")
sys.exit(1 if results["failed"] else 0)
