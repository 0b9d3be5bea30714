"""The v3 side of the template actions: GET /v3/templates (a cursor list), GET and POST /v3/templates/{id}.

v3 names a template `id` and its thumbnail `thumbnail_url`; its detail gives `variables` as {name: current
default} "in the same shape the generate request accepts", with each variable's type in its scenes.
"""

from heygen_core.action import created_id
from heygen_core.routes import NotExpressible, Request, on_legacy, on_v3, routes_for
from heygen_core.shapes import as_dict, body_of, list_of
from heygen_actions.whole_lists import cursor_of, legacy_whole_list, v3_page_query

V3_GENERATE_OPTIONS = ("title", "caption", "dimension", "folder_id", "callback_id", "callback_url", "brand_voice_id")
NO_TEST_MODE = (
    "HeyGen's v3 API has no test mode (every v3 render is billed): leave test out for a real video, or use "
    "HEYGEN_API_VERSION=legacy where HeyGen still serves the v2 template route"
)


def v3_template_list(data, inputs) -> tuple[list, str | None]:
    templates = [
        {"template_id": str(item["id"]), "name": item.get("name"), "thumbnail_image_url": item.get("thumbnail_url")}
        for item in list_of(data, "templates")
        if item.get("id")
    ]
    return templates, cursor_of(data)


def legacy_template_list(data, inputs) -> tuple[list, None]:
    return [item for item in list_of(data, "templates") if item.get("template_id")], None


LIST_ROUTES = routes_for(
    "list_templates",
    on_v3("TemplateList", request=v3_page_query, response=v3_template_list),
    on_legacy("GET", "/v2/templates", request=legacy_whole_list, response=legacy_template_list),
)


def v3_variables_source(data) -> dict:
    """v3's template detail as the v2 shape get_template reads: {variables: {name: {name, type, properties}}}."""
    source = as_dict(data)
    scene_types = {}
    for scene in source.get("scenes") or []:
        for variable in as_dict(scene).get("variables") or []:
            variable = as_dict(variable)
            if variable.get("name"):
                scene_types.setdefault(variable["name"], variable.get("variable_type"))
    variables = {}
    for name, default in as_dict(source.get("variables")).items():
        item = dict(as_dict(default))
        item["name"] = name
        item["type"] = item.get("type") or scene_types.get(name)
        variables[name] = item
    for name, variable_type in scene_types.items():  # used in a scene but given no default
        variables.setdefault(name, {"name": name, "type": variable_type, "properties": None})
    return {"variables": variables}


def v3_generate_request(inputs: dict) -> Request:
    if inputs.get("test"):
        raise NotExpressible("test", NO_TEST_MODE)
    variables = {name: {**variable, "name": name} for name, variable in inputs["variables"].items()}
    return Request(
        params={"template_id": inputs["template_id"]},
        body={"variables": variables, **body_of(inputs, V3_GENERATE_OPTIONS)},
    )


def v3_created_video(data, inputs) -> str:
    """POST /v3/templates/{id} answers with the Video object: its `id` is the video_id."""
    return created_id(data, "id")


V3_GENERATE_ROUTE = on_v3("TemplateGenerate", creates=True, request=v3_generate_request, response=v3_created_video)
