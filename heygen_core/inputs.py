"""Input problems in plain words, naming the field path (`video_inputs[2].background.value`).

The SDK checks inputs against `input_schema` before a handler runs, but words its errors by schema path
(`['properties', 'video_inputs', 'items', ...]`), which names neither the scene nor the rule in a way a
workflow builder reads. `HeyGenIntegration` checks the same schema first and answers in words; the SDK's
own check still runs after it and finds nothing.
"""

import logging
import re
from typing import Any

import fastjsonschema
from autohive_integrations_sdk import (
    ActionError,
    ActionResult,
    Integration,
    IntegrationResult,
    ResultType,
    ValidationError,
)
from autohive_integrations_sdk.integration import __version__ as SDK_VERSION
from jsonschema import Draft7Validator

from heygen_core.client import secrets_of
from heygen_core.errors import redact
from heygen_core.input_guard import path_words, size_problems, structure_problems, whole_numbers_as_integers
from heygen_core.paths import ID_PATTERN, ID_RULE
from heygen_core.schema_rules import built_once, strict_input_schema, strict_output_schema

# Patterns whose regex says little to a workflow builder.
PATTERN_WORDS = {
    ID_PATTERN: ID_RULE,
    "^#[0-9a-fA-F]{6}$": "a hex colour like #1A2B3C (six hex digits; shorthand such as #FFF is not accepted)",
    r"^https?://\S+$": "a URL starting with http:// or https://, without spaces",
}
TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
    "null": "null",
}
_MAX_PROBLEMS = 3
logger = logging.getLogger("heygen")
_VALIDATORS: dict[int, tuple[dict, Draft7Validator]] = {}
_COMPILED: dict[int, tuple[dict, Any]] = {}


class HeyGenIntegration(Integration):
    """The SDK's Integration with readable input errors and handlers that know their action name."""

    def action(self, name: str):
        register = super().action(name)

        def decorator(handler_class):
            handler_class.action_name = name
            return register(handler_class)

        return decorator

    async def execute_action(self, name: str, inputs: dict, context) -> IntegrationResult:
        """Always an IntegrationResult: no exception reaches the platform, whatever the inputs or the answer."""
        try:
            return await self._checked_then_run(name, inputs, context)
        except Exception as error:  # a bug, or an input shaped like nothing the checks foresaw
            secrets = secrets_of(getattr(context, "auth", None))
            message = redact(f"{name} failed: unexpected {type(error).__name__}: {error}", secrets)
            logger.warning("%s", message)
            return IntegrationResult(version=SDK_VERSION, type=ResultType.ACTION_ERROR, result=ActionError(message))

    async def _checked_then_run(self, name: str, inputs: dict, context) -> IntegrationResult:
        action = self.config.actions.get(name)
        if action is not None:
            schema = self.strict_inputs(name)
            problems = guarded_problems(schema, inputs)
            if not problems:
                inputs = whole_numbers_as_integers(schema, inputs)
                problems = input_problems(schema, inputs)
            if problems:
                path, value = problems[0][0], problems[0][2]
                return IntegrationResult(
                    version=SDK_VERSION,
                    type=ResultType.VALIDATION_ERROR,
                    result={
                        "message": f"{name}: invalid input: " + "; ".join(f"{p}: {w}" for p, w, _ in problems),
                        "property": path,
                        "value": value,
                        "source": "input",
                    },
                )
        if action is None or name not in self._action_handlers:
            return await super().execute_action(name, inputs, context)  # the SDK's own wording for these
        return named(name, await self._run_handler(name, action, inputs, context))

    def strict_inputs(self, name: str) -> dict:
        """The action's input schema with the rules tool definitions leave to the plugin (schema_rules)."""
        schemas = {action: spec.input_schema for action, spec in self.config.actions.items()}
        return strict_input_schema(name, self.config.actions[name].input_schema, schemas)

    async def _run_handler(self, name: str, action, inputs: dict, context) -> IntegrationResult:
        """The SDK's steps after input validation, with the output check compiled once per schema.

        The SDK builds a jsonschema validator for the output on every call; for a page of 100 voices that was
        most of an action's cost. The result is the same: an output that breaks its schema is a VALIDATION_ERROR.
        """
        try:
            self._validate_auth(context)
            result = await self._action_handlers[name]().execute(inputs, context)
            if isinstance(result, ActionError):
                return IntegrationResult(version=SDK_VERSION, type=ResultType.ACTION_ERROR, result=result)
            if not isinstance(result, ActionResult):
                raise ValidationError(
                    f"Action handler '{name}' must return ActionResult or ActionError, got {type(result).__name__}",
                    source="output",
                )
            output_schema = strict_output_schema(action.output_schema)
            problem = output_problem(output_schema, result.data)
            if problem:
                raise ValidationError(problem, output_schema, result.data, source="output")
        except ValidationError as error:
            result = {"message": str(error), "property": None, "value": None, "source": getattr(error, "source", "")}
            return IntegrationResult(version=SDK_VERSION, type=ResultType.VALIDATION_ERROR, result=result)
        return IntegrationResult(version=SDK_VERSION, type=ResultType.ACTION, result=result)


def named(name: str, result: IntegrationResult) -> IntegrationResult:
    """A refusal raised by a handler (`reject`) worded like the schema's own: action name first, the field named."""
    if result.type != ResultType.VALIDATION_ERROR or not isinstance(result.result, dict):
        return result
    message = str(result.result.get("message") or "")
    if message.startswith(REJECT_PREFIX):
        field = message[len(REJECT_PREFIX) :].split(":", 1)[0]
        result.result.update(message=f"{name}: {message}", property=result.result.get("property") or field)
    return result


def guarded_problems(schema: dict, inputs: Any) -> list[tuple[str, str, Any]]:
    """What `input_guard` refuses before schema validation runs: structure first, then sizes."""
    if not isinstance(inputs, dict):
        return [("(inputs)", "must be an object", None)]
    return structure_problems(inputs) or size_problems(schema, inputs)


def input_problems(schema: dict, inputs: Any) -> list[tuple[str, str, Any]]:
    """(field path, rule in words, offending value) for the first few problems, in field order.

    A compiled check answers for the usual, valid input; jsonschema (the SDK's validator) words the problems
    and has the last word when the compiled one objects.
    """
    if compiled_accepts(schema, inputs):
        return []
    errors = sorted(validator_for(schema).iter_errors(inputs), key=lambda e: [str(p) for p in e.absolute_path])
    problems = []
    for error in errors:
        problem = _explain(error)
        if all(problem[0] != seen[0] for seen in problems):  # one rule a field, the first the schema states
            problems.append(problem)
        if len(problems) == _MAX_PROBLEMS:
            break
    return problems


def output_problem(schema: dict, data: Any) -> str | None:
    """None when `data` fits the schema; else the SDK's wording of what breaks it.

    The compiled check answers first; jsonschema, which the SDK uses, has the last word and the wording.
    """
    if compiled_accepts(schema, data):
        return None
    errors = list(validator_for(schema).iter_errors(data))
    return "".join(f"{list(error.schema_path)}, {error.message},\n " for error in errors) or None


def compiled_accepts(schema: dict, data: Any) -> bool:
    # use_default=False: a check never fills defaults into what it checks
    check = built_once(_COMPILED, schema, lambda source: fastjsonschema.compile(source, use_default=False))
    try:
        check(data)
        return True
    except fastjsonschema.JsonSchemaException:
        return False


def validator_for(schema: dict) -> Draft7Validator:
    """Building a validator costs more than checking a typical input with it: one per schema, kept."""
    return built_once(_VALIDATORS, schema, Draft7Validator)


REJECT_PREFIX = "invalid input: "


def reject(path: str, words: str, value: Any = None) -> ValidationError:
    """For the few rules a schema cannot say: raise this from a handler, before anything is sent."""
    return ValidationError(f"{REJECT_PREFIX}{path}: {words}", source="input", inputs=value)


def _explain(error) -> tuple[str, str, Any]:
    path = list(error.absolute_path)
    rule, value = error.validator, error.validator_value
    instance = error.instance
    if rule == "required":
        missing = re.search(r"'(.+?)' is a required property", error.message)
        name = missing.group(1) if missing else "a field"
        return path_words(path + [name]), "is required", None
    if rule == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        extra = sorted(set(instance) - set(known)) if isinstance(instance, dict) else []
        unknown = extra[0] if extra else "?"
        return path_words(path + [unknown]), "is not a known field (known: " + ", ".join(known) + ")", None
    if rule == "oneOf":
        return path_words(path), _one_of_words(error), instance
    if rule == "dependencies":
        needed = re.search(r"'(.+?)' is a dependency of '(.+?)'", error.message)
        if needed:
            return path_words(path + [needed.group(1)]), f"is required when {needed.group(2)} is given", None
    words = _rule_words(rule, value, instance, error)
    return path_words(path), words, instance


def _rule_words(rule: str, value: Any, instance: Any, error) -> str:
    if rule == "enum":
        return "must be one of: " + ", ".join(str(v) for v in value) + f" (got {instance!r})"
    if rule == "const":
        return f"must be {value!r}"
    if rule == "type":
        wanted = value if isinstance(value, list) else [value]
        return "must be " + " or ".join(TYPE_WORDS.get(t, t) for t in wanted)
    if rule == "pattern":
        described = PATTERN_WORDS.get(value) or f"text matching {value}"
        return f"must be {described} (got {instance!r})"
    if rule == "format":
        return f"must be a valid {value}"
    if rule == "minLength":
        return "must not be empty" if value == 1 else f"must be at least {value} characters"
    if rule == "maxLength":
        return f"must be at most {value} characters (got {len(instance)})"
    if rule in ("minimum", "exclusiveMinimum"):
        return ("must be at least " if rule == "minimum" else "must be more than ") + f"{value} (got {instance})"
    if rule in ("maximum", "exclusiveMaximum"):
        return ("must be at most " if rule == "maximum" else "must be less than ") + f"{value} (got {instance})"
    if rule == "multipleOf":
        return "must be an even number" if value == 2 else f"must be a multiple of {value}"
    if rule == "minItems":
        return f"must have at least {value} item{'s' if value != 1 else ''}"
    if rule == "maxItems":
        return f"must have at most {value} items (got {len(instance)})"
    if rule == "uniqueItems":
        return "must not repeat an item"
    if rule == "minProperties":
        return f"must have at least {value} field{'s' if value != 1 else ''}"
    if rule == "not":
        return error.schema.get("description") or "is not allowed here"
    if rule == "anyOf":
        return "must match one of the allowed forms"
    return error.message


def _one_of_words(error) -> str:
    """`oneOf` is used for 'exactly one of these fields': say which fields, and whether none or several came."""
    options = [
        sub.get("required", [None])[0]
        for sub in error.validator_value
        if isinstance(sub, dict) and len(sub.get("required", [])) == 1
    ]
    if len(options) == len(error.validator_value) and options:
        listed = " or ".join(options)
        present = [o for o in options if isinstance(error.instance, dict) and o in error.instance]
        if present:
            return f"give only one of {listed}, not both"
        return f"needs one of {listed}"
    return "must match exactly one of the allowed forms"
