"""Slack's Block Kit limits, checked the way Slack checks them before it accepts a payload."""

from __future__ import annotations

from typing import Any

from bot.playground.standin.charts import check_chart, check_chart_count, check_table

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_VIEW_TITLE = 24
MAX_SECTION_TEXT = 3000
MAX_SECTION_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_INPUT_LENGTH = 3000
MAX_OPTIONS = 100
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_ID = 255
MAX_PRIVATE_METADATA = 3000
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS_ELEMENTS = 25
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_LABEL = 2000
MAX_MESSAGE_TEXT = 40000

BLOCK_TYPES = {"section", "divider", "header", "context", "actions", "input", "image",
               "rich_text", "file", "video", "data_visualization", "table"}
VIEW_TYPES = {"modal", "home"}


def _text_of(obj: Any) -> str:
    if isinstance(obj, dict):
        value = obj.get("text", "")
        return value if isinstance(value, str) else ""
    return ""


def _check_element(element: Any, where: str, problems: list[str]) -> None:
    if not isinstance(element, dict) or "type" not in element:
        problems.append(f"{where}: element without a type")
        return
    action_id = element.get("action_id")
    if action_id is not None and len(str(action_id)) > MAX_ID:
        problems.append(f"{where}.action_id: longer than {MAX_ID}")
    kind = element["type"]
    if kind == "button":
        if len(_text_of(element.get("text"))) > MAX_BUTTON_TEXT:
            problems.append(f"{where}.text: button text longer than {MAX_BUTTON_TEXT}")
        if len(str(element.get("value", ""))) > MAX_BUTTON_VALUE:
            problems.append(f"{where}.value: longer than {MAX_BUTTON_VALUE}")
    if kind == "plain_text_input":
        if int(element.get("max_length", 0) or 0) > MAX_INPUT_LENGTH:
            problems.append(f"{where}.max_length: above {MAX_INPUT_LENGTH}")
        if len(str(element.get("initial_value", ""))) > MAX_INPUT_LENGTH:
            problems.append(f"{where}.initial_value: longer than {MAX_INPUT_LENGTH}")
    options = element.get("options")
    if options is not None:
        if not isinstance(options, list) or not options:
            problems.append(f"{where}.options: must be a non-empty list")
        elif len(options) > MAX_OPTIONS:
            problems.append(f"{where}.options: more than {MAX_OPTIONS} options")
        else:
            for index, option in enumerate(options):
                if len(_text_of(option.get("text"))) > MAX_OPTION_TEXT:
                    problems.append(f"{where}.options[{index}].text: longer than "
                                    f"{MAX_OPTION_TEXT}")
                if len(str(option.get("value", ""))) > MAX_OPTION_VALUE:
                    problems.append(f"{where}.options[{index}].value: longer than "
                                    f"{MAX_OPTION_VALUE}")


def check_blocks(blocks: Any, *, limit: int) -> list[str]:
    """Every way ``blocks`` breaks Slack's limits; empty when Slack would accept them."""
    if not isinstance(blocks, list):
        return ["blocks: must be a list"]
    problems: list[str] = []
    if len(blocks) > limit:
        problems.append(f"blocks: {len(blocks)} blocks, more than {limit}")
    check_chart_count(blocks, problems)
    for index, block in enumerate(blocks):
        where = f"blocks[{index}]"
        if not isinstance(block, dict) or block.get("type") not in BLOCK_TYPES:
            problems.append(f"{where}: unknown block type")
            continue
        block_id = block.get("block_id")
        if block_id is not None and len(str(block_id)) > MAX_ID:
            problems.append(f"{where}.block_id: longer than {MAX_ID}")
        kind = block["type"]
        if kind == "data_visualization":
            check_chart(block, where, problems)
        elif kind == "table":
            check_table(block, where, problems)
        elif kind == "section":
            if "text" not in block and "fields" not in block:
                problems.append(f"{where}: a section needs text or fields")
            if len(_text_of(block.get("text"))) > MAX_SECTION_TEXT:
                problems.append(f"{where}.text: longer than {MAX_SECTION_TEXT}")
            fields = block.get("fields") or []
            if len(fields) > MAX_SECTION_FIELDS:
                problems.append(f"{where}.fields: more than {MAX_SECTION_FIELDS}")
            for f_index, field in enumerate(fields):
                if len(_text_of(field)) > MAX_FIELD_TEXT:
                    problems.append(f"{where}.fields[{f_index}]: longer than {MAX_FIELD_TEXT}")
            if "accessory" in block:
                _check_element(block["accessory"], f"{where}.accessory", problems)
        elif kind == "header":
            if len(_text_of(block.get("text"))) > MAX_HEADER_TEXT:
                problems.append(f"{where}.text: longer than {MAX_HEADER_TEXT}")
        elif kind == "context":
            elements = block.get("elements") or []
            if not elements or len(elements) > MAX_CONTEXT_ELEMENTS:
                problems.append(f"{where}.elements: 1 to {MAX_CONTEXT_ELEMENTS} needed")
        elif kind == "actions":
            elements = block.get("elements") or []
            if not elements or len(elements) > MAX_ACTIONS_ELEMENTS:
                problems.append(f"{where}.elements: 1 to {MAX_ACTIONS_ELEMENTS} needed")
            for e_index, element in enumerate(elements):
                _check_element(element, f"{where}.elements[{e_index}]", problems)
        elif kind == "input":
            if len(_text_of(block.get("label"))) > MAX_LABEL:
                problems.append(f"{where}.label: longer than {MAX_LABEL}")
            if "element" not in block:
                problems.append(f"{where}: an input needs an element")
            else:
                _check_element(block["element"], f"{where}.element", problems)
    return problems


def check_message(text: Any, blocks: Any) -> list[str]:
    """Problems with a message's text and blocks."""
    problems = []
    if text is not None and len(str(text)) > MAX_MESSAGE_TEXT:
        problems.append(f"text: longer than {MAX_MESSAGE_TEXT}")
    if blocks is not None:
        problems += check_blocks(blocks, limit=MAX_MESSAGE_BLOCKS)
    return problems


def check_view(view: Any) -> list[str]:
    """Problems with a modal or App Home view."""
    if not isinstance(view, dict) or view.get("type") not in VIEW_TYPES:
        return ["view: type must be modal or home"]
    problems = check_blocks(view.get("blocks", []), limit=MAX_VIEW_BLOCKS)
    if view["type"] == "modal":
        for key in ("title", "submit", "close"):
            if key in view and len(_text_of(view[key])) > MAX_VIEW_TITLE:
                problems.append(f"view.{key}: longer than {MAX_VIEW_TITLE}")
        if "title" not in view:
            problems.append("view.title: required for a modal")
    if len(str(view.get("private_metadata", ""))) > MAX_PRIVATE_METADATA:
        problems.append(f"view.private_metadata: longer than {MAX_PRIVATE_METADATA}")
    if len(str(view.get("callback_id", ""))) > MAX_ID:
        problems.append(f"view.callback_id: longer than {MAX_ID}")
    return problems
