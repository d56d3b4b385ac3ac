"""Drives the official Python client (python-ovh 1.2.0) against the OVH API simulator and prints what it saw as JSON.

python-ovh 1.2.0 only accepts a named endpoint, so the simulator's URL is registered under a new name in
ovh.client.ENDPOINTS (the client itself is unchanged). The CA comes from REQUESTS_CA_BUNDLE.
Usage: ovh_client_check.py calls | consumer-key | use-key CONSUMER_KEY
"""
import json
import os
import sys

import ovh
import ovh.client

ovh.client.ENDPOINTS["ovhflow-simulator"] = os.environ["SIM_ENDPOINT"]


def client(**overrides):
    keys = {
        "application_key": os.environ["SIM_APPLICATION_KEY"],
        "application_secret": os.environ["SIM_APPLICATION_SECRET"],
        "consumer_key": os.environ["SIM_CONSUMER_KEY"],
    }
    keys.update(overrides)
    return ovh.Client(endpoint="ovhflow-simulator", **keys)


def refusal(call):
    try:
        call()
    except ovh.APIError as error:
        return {"exception": type(error).__name__, "message": str(error).split("\n")[0].strip(), "queryId": error.query_id}
    return None


def attempt(call):
    try:
        return {"ok": call()}
    except ovh.APIError as error:
        return {"exception": type(error).__name__, "message": str(error).split("\n")[0].strip()}


def calls():
    c = client()
    task = c.post("/hosting/web/demo-agency.ovh/attachedDomain", domain="py.example.net", path="py", ssl=True)
    return {
        "time": c.get("/auth/time", _need_auth=False),
        "services": c.get("/hosting/web"),
        "credential": c.get("/auth/currentCredential"),
        "databases": c.get("/hosting/web/demo-shop.ovh/database", type="mysql"),
        "modules": c.get("/hosting/web/moduleList", latest=True, active=True),
        "task": task,
        "readTask": c.get("/hosting/web/demo-agency.ovh/tasks/%d" % task["id"]),
        "regenerate": c.post("/hosting/web/demo-shop.ovh/ssl/regenerate"),
        "notFound": refusal(lambda: c.get("/hosting/web/unknown.example")),
        "badSecret": refusal(lambda: client(application_secret="wrong").get("/hosting/web")),
        "badKey": refusal(lambda: client(application_key="unknownAppKey000").get("/hosting/web")),
    }


def consumer_key():
    request = client(consumer_key=None).new_consumer_key_request()
    request.add_recursive_rules(ovh.API_READ_ONLY, "/hosting/web")
    return request.request()


def use_key(key):
    c = client(consumer_key=key)
    return {
        "services": attempt(lambda: c.get("/hosting/web")),
        "service": attempt(lambda: c.get("/hosting/web/demo-shop.ovh")["serviceName"]),
        "write": attempt(lambda: c.post("/hosting/web/demo-shop.ovh/ssl/regenerate")),
    }


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "calls":
        result = calls()
    elif command == "consumer-key":
        result = consumer_key()
    else:
        result = use_key(sys.argv[2])
    print(json.dumps(result))
