"""Templates: list them, read their typed variables, and generate videos from them (v3 first, v2 second)."""

from heygen_core.action import HeyGenAction
from heygen_core.app import integration
from heygen_core.inputs import reject
from heygen_core.routes import Request, call_routes, on_legacy, on_v3, routes_for
from heygen_core.shapes import as_dict, body_of, pick
from heygen_actions.whole_lists import walk_pages
from heygen_actions.discovery import contains
from heygen_actions.template_routes import LIST_ROUTES, V3_GENERATE_ROUTE, v3_variables_source
from heygen_actions.videos import VIDEO_OPTIONS, created_video, start_video

VARIABLE_TYPES = frozenset({"text", "image", "video", "character", "voice", "audio"})
TEMPLATE_OPTIONS = (*VIDEO_OPTIONS, "brand_voice_id")


def template_variables(data) -> list[dict]:
    """HeyGen's `variables` (a map of name -> {name, type, properties}) as a typed list, in HeyGen's order."""
    raw = as_dict(data).get("variables")
    entries = raw.items() if isinstance(raw, dict) else ((None, item) for item in raw or [])
    variables = []
    for key, item in entries:
        item = as_dict(item)
        name = item.get("name") or key
        if not name:
            continue
        raw_type = item.get("type") if isinstance(item.get("type"), str) else None
        properties = item.get("properties")
        variables.append(
            {
                "name": str(name),
                "type": raw_type if raw_type in VARIABLE_TYPES else "other",
                "raw_type": raw_type,
                # without HeyGen's empty fields the value is already what generate_template_video takes
                "properties": (
                    {k: v for k, v in properties.items() if v is not None} if isinstance(properties, dict) else None
                ),
            }
        )
    return variables


def mismatches(template_id: str, given: dict, expected: list[dict]) -> list[tuple[str, str]]:
    """(field path, words) for each given variable that the template would not take as given."""
    known = {v["name"]: v for v in expected}
    problems = []
    for name, variable in given.items():
        if name not in known:
            listed = ", ".join(known) or "none"
            problems.append(
                (f"variables.{name}", f"is not a variable of template {template_id} (its variables: {listed})")
            )
        elif known[name]["type"] != "other" and variable["type"] != known[name]["type"]:
            problems.append(
                (f"variables.{name}.type", f"is {variable['type']}, but the template's {name} is {known[name]['type']}")
            )
    # a variable the call leaves out keeps the template's own value, as on HeyGen: it is not a mismatch
    return problems


def generate_body(inputs: dict) -> Request:
    variables = {name: {**variable, "name": name} for name, variable in inputs["variables"].items()}
    return Request(
        params={"template_id": inputs["template_id"]},
        body={"variables": variables, **body_of(inputs, TEMPLATE_OPTIONS)},
    )


GET_ROUTES = routes_for(
    "get_template",
    on_v3("TemplateGet", response=lambda data, inputs: template_variables(v3_variables_source(data))),
    on_legacy("GET", "/v2/template/{template_id}", response=lambda data, inputs: template_variables(data)),
)
GENERATE_ROUTES = routes_for(
    "generate_template_video",
    V3_GENERATE_ROUTE,
    on_legacy(
        "POST", "/v2/template/{template_id}/generate", creates=True, request=generate_body, response=created_video
    ),
)


@integration.action("list_templates")
class ListTemplates(HeyGenAction):
    async def run(self, api, inputs):
        found, next_token = await walk_pages(api, LIST_ROUTES, inputs)
        templates = [
            pick(template, ("template_id", "name", "thumbnail_image_url"))
            for template in found
            if contains(template.get("name"), inputs.get("name_contains"))
        ]
        # the total is known only when this call saw the whole list (no page_token in, no cursor out)
        whole = next_token is None and not inputs.get("page_token")
        return {
            "templates": templates,
            "total": len(templates) if whole else None,
            "next_page_token": next_token,
            "has_more": next_token is not None,
        }


async def fetch_template_variables(api, template_id: str) -> list[dict]:
    return await call_routes(api, GET_ROUTES, {"template_id": template_id})


@integration.action("get_template")
class GetTemplate(HeyGenAction):
    async def run(self, api, inputs):
        template_id = inputs["template_id"]
        return {"template_id": template_id, "variables": await fetch_template_variables(api, template_id)}


@integration.action("generate_template_video")
class GenerateTemplateVideo(HeyGenAction):
    async def run(self, api, inputs):
        template_id, given = inputs["template_id"], inputs["variables"]
        for name, variable in given.items():
            if variable.get("name", name) != name:
                raise reject(f"variables.{name}.name", f"must equal its key {name!r} (or be left out)")
        if inputs.get("validate_against_template", True):
            problems = mismatches(template_id, given, await fetch_template_variables(api, template_id))
            if problems:
                (path, words), rest = problems[0], problems[1:]
                raise reject(path, "; ".join([words, *(f"{p}: {w}" for p, w in rest)]))
        return await start_video(api, inputs, GENERATE_ROUTES)
