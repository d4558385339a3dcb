"""The REST descriptions in specs/openapi/ cover Hume's published OpenAPI documents.

Hume publishes one OpenAPI 3.1 document per API (``shared/upstream/openapi``). Each is paired
with one of ours (``PAIRS``). For every upstream document this checks that ours has:

- every operation (method + path) and every webhook;
- every parameter (name + location), with the same required status and a compatible schema;
- every request body and response content type, with a compatible schema;
- every component schema, under its own name or the name in ``RENAMED`` (the official SDK's
  class name), unless ``DROPPED`` says why it is not needed;
- every property of every schema, inline ones included, with the same required status and
  nullability, a compatible type and format, the same default and every enum value.

"Compatible schema" is checked recursively: where upstream refers to a component, ours must
refer to that component's counterpart; where upstream writes a schema inline, ours may inline
it or name it (a ``$ref``), and it is compared field by field. Formats compare after mapping
upstream's non-standard ones to standard ones (``uuid4`` -> ``uuid``, ``url`` -> ``uri``,
``uint64`` -> ``int64``).

Where ours deliberately differs, the difference is a key of ``EXCEPTIONS`` with the reason.
The test collects every difference and fails on any that is not an exception, and on any
exception that no longer matches a difference, so the table cannot go stale. The same holds for
``RENAMED``, ``DROPPED`` and ``PLACEHOLDERS``.

It also checks that operationIds are unique across specs/openapi/, that every operation and
schema has a description, and that the overlays parse and target real operations. It reads YAML
only; it does not import the generator.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import needs_shared
from tests.yaml_nodes import Node, escape, load

REPO = Path(__file__).resolve().parents[1]
OPENAPI_DIR = REPO / "specs" / "openapi"
OVERLAY_DIR = REPO / "specs" / "overlays"
UPSTREAM_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "upstream" / "openapi"

# upstream document -> (short name used in difference keys, our document)
PAIRS = {
    "hume-ai-evi-openapi.yml": ("evi", "empathic-voice.yaml"),
    "hume-ai-tts-openapi.yml": ("tts", "tts.yaml"),
    "hume-ai-voices-openapi.yml": ("voices", "tts-voices.yaml"),
    "hume-ai-expression-openapi.yml": ("expression", "expression-measurement.yaml"),
}
# Other documents of the same SDK module whose components a document reuses by $ref.
SIBLINGS = {"tts-voices.yaml": ("tts.yaml",)}
OVERLAYS = {
    "empathic-voice.yaml": "empathic-voice.yaml",
    "tts.yaml": "tts.yaml",
    "tts-voices.yaml": "tts-voices.yaml",
    "expression-measurement.yaml": "expression-measurement.yaml",
}
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
API_KEY_HEADER = "X-Hume-Api-Key"

# ---------------------------------------------------------------------------------------------
# Upstream component schemas that ours names differently: "<short> <upstream name>" -> our name.
# Our names are the class names of the official `hume` Python SDK (0.14.1); for Expression
# Measurement, which that SDK dropped, those of the last SDK that had it (0.13.x). Several
# upstream schemas with the same shape map to one of ours.
# ---------------------------------------------------------------------------------------------
RENAMED: dict[str, str] = {
    # EVI
    "evi HTTPValidationError": "HttpValidationError",
    "evi ValidationErrorLocItems": "LocationItem",
    "evi posted_builtin_tool": "PostedBuiltinTool",
    "evi PostedConfigEllmModel": "PostedEllmModel",
    "evi posted_ellm_model": "PostedEllmModel",
    "evi PostedConfigEventMessages": "PostedEventMessageSpecs",
    "evi posted_event_message_specs": "PostedEventMessageSpecs",
    "evi posted_interruption_spec": "PostedInterruptionSpec",
    "evi PostedConfigLanguageModel": "PostedLanguageModel",
    "evi posted_language_model": "PostedLanguageModel",
    "evi PostedConfigNudges": "PostedNudgeSpec",
    "evi posted_nudge_spec": "PostedNudgeSpec",
    "evi prompt_expansion_spec": "PromptExpansionSpec",
    "evi PostedConfigPrompt": "PostedConfigPromptSpec",
    "evi posted_config_prompt_spec": "PostedConfigPromptSpec",
    "evi PostedConfigTimeouts": "PostedTimeoutSpecs",
    "evi posted_timeout_specs": "PostedTimeoutSpecs",
    "evi posted_user_defined_tool_spec": "PostedUserDefinedToolSpec",
    "evi posted_turn_detection_spec": "PostedTurnDetectionSpec",
    "evi PostedWebhookSpecEventsItems": "PostedWebhookEventType",
    "evi posted_webhook_spec": "PostedWebhookSpec",
    "evi posted_config": "PostedConfig",
    "evi posted_config_version": "PostedConfigVersion",
    "evi posted_config_name": "PostedConfigName",
    "evi posted_config_version_description": "PostedConfigVersionDescription",
    "evi posted_prompt": "PostedPrompt",
    "evi posted_prompt_version": "PostedPromptVersion",
    "evi posted_prompt_name": "PostedPromptName",
    "evi patched_prompt_version_description": "PostedPromptVersionDescription",
    "evi posted_user_defined_tool": "PostedUserDefinedTool",
    "evi posted_user_defined_tool_version": "PostedUserDefinedToolVersion",
    "evi posted_user_defined_tool_name": "PostedUserDefinedToolName",
    "evi posted_user_defined_tool_version_description": "PostedUserDefinedToolVersionDescription",
    "evi return_builtin_tool": "ReturnBuiltinTool",
    "evi return_ellm_model": "ReturnEllmModel",
    "evi ReturnConfigEllmModel": "ReturnEllmModel",
    "evi return_event_message_spec": "ReturnEventMessageSpec",
    "evi return_event_message_specs": "ReturnEventMessageSpecs",
    "evi ReturnConfigEventMessages": "ReturnEventMessageSpecs",
    "evi return_interruption_spec": "ReturnInterruptionSpec",
    "evi return_language_model": "ReturnLanguageModel",
    "evi ReturnConfigLanguageModel": "ReturnLanguageModel",
    "evi return_nudge_spec": "ReturnNudgeSpec",
    "evi ReturnConfigNudges": "ReturnNudgeSpec",
    "evi return_prompt_public": "ReturnPrompt",
    "evi return_prompt": "ReturnPrompt",
    "evi ReturnConfigPrompt": "ReturnPrompt",
    "evi return_timeout_spec": "ReturnTimeoutSpec",
    "evi return_timeout_specs": "ReturnTimeoutSpecs",
    "evi ReturnConfigTimeouts": "ReturnTimeoutSpecs",
    "evi return_user_defined_tool": "ReturnUserDefinedTool",
    "evi return_turn_detection_spec": "ReturnTurnDetectionSpec",
    "evi ReturnedWebhookSpecEventsItems": "ReturnWebhookEventType",
    "evi returned_webhook_spec": "ReturnWebhookSpec",
    "evi return_config_public": "ReturnConfig",
    "evi return_config": "ReturnConfig",
    "evi return_paged_configs": "ReturnPagedConfigs",
    "evi return_paged_prompts": "ReturnPagedPrompts",
    "evi return_paged_user_defined_tools": "ReturnPagedUserDefinedTools",
    "evi return_config_spec": "ReturnConfigSpec",
    "evi return_chat": "ReturnChat",
    "evi return_paged_chats": "ReturnPagedChats",
    "evi return_chat_event": "ReturnChatEvent",
    "evi return_chat_paged_events": "ReturnChatPagedEvents",
    "evi return_chat_group": "ReturnChatGroup",
    "evi return_paged_chat_groups": "ReturnPagedChatGroups",
    "evi return_chat_group_paged_chats": "ReturnChatGroupPagedChats",
    "evi return_chat_group_paged_audio_reconstructions": "ReturnChatGroupPagedAudioReconstructions",
    "evi return_chat_group_paged_events": "ReturnChatGroupPagedEvents",
    # TTS
    "tts ContextGenerationId": "PostedContextWithGenerationId",
    "tts ContextUtterances": "PostedContextWithUtterances",
    "tts OctaveBodyArgsContext": "PostedContext",
    "tts OctaveBodyArgsStreamContext": "PostedContext",
    "tts V0TtsVoiceConversionFilePostRequestBodyContentMultipartFormDataSchemaContext": "PostedContext",
    "tts V0TtsVoiceConversionJsonPostRequestBodyContentMultipartFormDataSchemaContext": "PostedContext",
    "tts VoiceId": "PostedUtteranceVoiceWithId",
    "tts VoiceName": "PostedUtteranceVoiceWithName",
    "tts VoiceRef": "PostedUtteranceVoice",
    "tts Utterance": "PostedUtterance",
    "tts OctaveBodyArgsStreamFormat": "Format",
    "tts OctaveBodyArgs": "PostedTts",
    "tts OctaveBodyArgsStream": "PostedTts",
    "tts FormatType": "AudioFormatType",
    "tts Timestamp-Output": "Timestamp",
    "tts Snippet-Output": "Snippet",
    "tts HTTPValidationError": "HttpValidationError",
    "tts ValidationErrorLocItems": "LocationItem",
    "tts Encoding": "AudioEncoding",
    "tts Generation": "ReturnGeneration",
    "tts OctaveResponse": "ReturnTts",
    # TTS voices
    "voices OctaveVoiceDesignSaveArgs": "PostedVoice",
    "voices OctaveVoiceDesignSaveResponse": "ReturnVoice",
    "voices return_voice_octave_public": "ReturnVoice",
    "voices return_paged_octave_public_voices": "ReturnPagedVoices",
    "voices HTTPValidationError": "HttpValidationError",
    "voices ValidationErrorLocItems": "LocationItem",
    # Expression Measurement (upstream prefixes every name with `batch:`)
    "expression batch:Status": "Status",
    "expression batch:V0BatchJobsGetParametersWhen": "When",
    "expression batch:V0BatchJobsGetParametersSortBy": "SortBy",
    "expression batch:V0BatchJobsGetParametersDirection": "Direction",
    "expression batch:FaceFacs": "Unconfigurable",
    "expression batch:FaceDescriptions": "Unconfigurable",
    "expression batch:ModelsBurst": "Unconfigurable",
    "expression batch:LanguageSentiment": "Unconfigurable",
    "expression batch:LanguageToxicity": "Unconfigurable",
    "expression batch:ModelsFacemesh": "Unconfigurable",
    "expression batch:ModelsFace": "Face",
    "expression batch:ProsodyGranularity": "Granularity",
    "expression batch:LanguageGranularity": "Granularity",
    "expression batch:ProsodyWindow": "Window",
    "expression batch:ModelsProsody": "Prosody",
    "expression batch:ModelsLanguage": "Language",
    "expression batch:ModelsNer": "Ner",
    "expression batch:InferenceRequestModels": "Models",
    "expression batch:InferenceBaseRequestModels": "Models",
    "expression batch:TranscriptionLanguage": "Bcp47Tag",
    "expression batch:TranscriptionMetadataDetectedLanguage": "Bcp47Tag",
    "expression batch:InferenceRequestTranscription": "Transcription",
    "expression batch:InferenceBaseRequestTranscription": "Transcription",
    "expression batch:File": "File",
    "expression batch:InferenceRequest": "InferenceRequest",
    "expression batch:State<Inference>": "StateInference",
    "expression batch:UnionJob_Job<Inference>": "InferenceJob",
    "expression batch:UnionJob": "InferenceJob",
    "expression batch:InferenceBaseRequest": "InferenceBaseRequest",
    "expression batch:V0BatchJobsPostRequestBodyContentMultipartFormDataSchemaJson": "InferenceBaseRequest",
    "expression batch:JobId": "JobId",
    "expression batch:Source": "Source",
    "expression batch:BoundingBox": "BoundingBox",
    "expression batch:EmotionScore": "EmotionScore",
    "expression batch:FacsScore": "FacsScore",
    "expression batch:DescriptionsScore": "DescriptionsScore",
    "expression batch:FacePrediction": "FacePrediction",
    "expression batch:GroupedPredictions<FacePrediction>": "GroupedPredictionsFacePrediction",
    "expression batch:ModelsPredictionsFace": "PredictionsOptionalNullFacePrediction",
    "expression batch:TimeInterval": "TimeInterval",
    "expression batch:BurstPrediction": "BurstPrediction",
    "expression batch:GroupedPredictions<BurstPrediction>": "GroupedPredictionsBurstPrediction",
    "expression batch:ModelsPredictionsBurst": "PredictionsOptionalNullBurstPrediction",
    "expression batch:TranscriptionMetadata": "TranscriptionMetadata",
    "expression batch:ProsodyPrediction": "ProsodyPrediction",
    "expression batch:GroupedPredictions<ProsodyPrediction>": "GroupedPredictionsProsodyPrediction",
    "expression batch:ModelsPredictionsProsody": "PredictionsOptionalTranscriptionMetadataProsodyPrediction",
    "expression batch:PositionInterval": "PositionInterval",
    "expression batch:SentimentScore": "SentimentScore",
    "expression batch:ToxicityScore": "ToxicityScore",
    "expression batch:LanguagePrediction": "LanguagePrediction",
    "expression batch:GroupedPredictions<LanguagePrediction>": "GroupedPredictionsLanguagePrediction",
    "expression batch:ModelsPredictionsLanguage": "PredictionsOptionalTranscriptionMetadataLanguagePrediction",
    "expression batch:NerPrediction": "NerPrediction",
    "expression batch:GroupedPredictions<NerPrediction>": "GroupedPredictionsNerPrediction",
    "expression batch:ModelsPredictionsNer": "PredictionsOptionalTranscriptionMetadataNerPrediction",
    "expression batch:FacemeshPrediction": "FacemeshPrediction",
    "expression batch:GroupedPredictions<FacemeshPrediction>": "GroupedPredictionsFacemeshPrediction",
    "expression batch:ModelsPredictionsFacemesh": "PredictionsOptionalNullFacemeshPrediction",
    "expression batch:ModelsPredictions": "ModelsPredictions",
    "expression batch:InferencePrediction": "InferencePrediction",
    "expression batch:Error": "Error",
    "expression batch:InferenceResults": "InferenceResults",
    "expression batch:InferenceSourcePredictResult": "InferenceSourcePredictResult",
    "expression batch:UnionPredictResult": "InferenceSourcePredictResult",
}

# Upstream component schemas with no counterpart component: "<short> <name>" -> reason.
_EMPTY_BODY = (
    "an empty response body: ours declares the success response without content, so the SDK "
    "method returns None, as the official SDK's does"
)
_TEXT_BODY = (
    "an empty JSON object upstream, a text body in Hume's SDK definition: ours declares the "
    "response as text/plain, so the SDK method returns the text, as the official SDK's does"
)
DROPPED: dict[str, str] = {
    "evi controlPlane_send_Response_200": _EMPTY_BODY,
    "evi configs_update-config-name_Response_200": _TEXT_BODY,
    "evi configs_delete-config_Response_200": _EMPTY_BODY,
    "evi configs_delete-config-version_Response_200": _EMPTY_BODY,
    "evi prompts_update-prompt-name_Response_200": _TEXT_BODY,
    "evi prompts_delete-prompt_Response_200": _EMPTY_BODY,
    "evi prompts_delete-prompt-version_Response_200": _EMPTY_BODY,
    "evi tools_update-tool-name_Response_200": _TEXT_BODY,
    "evi tools_delete-tool_Response_200": _EMPTY_BODY,
    "evi tools_delete-tool-version_Response_200": _EMPTY_BODY,
    "voices voices_delete_Response_200": _EMPTY_BODY,
    "expression batch:Null": (
        "the metadata of face, burst and facemesh predictions, which is always null; written "
        "inline as a nullable free-form object rather than as a class named Null"
    ),
}

# Upstream component schemas that are empty objects standing for a type the conversion lost
# (an enum, a language tag, a free-form settings object): "<short> <name>" -> reason. They must
# have a counterpart (RENAMED), but their (empty) shape is not compared; ours takes the real type
# from Hume's Fern definition of the SDK.
_LOST_ENUM = "an enum in Hume's Fern definition, an empty object in the published OpenAPI"
_UNCONFIGURABLE = "Fern's Unconfigurable: a model switched on with {} and no settings"
PLACEHOLDERS: dict[str, str] = {
    "expression batch:V0BatchJobsGetParametersWhen": _LOST_ENUM,
    "expression batch:V0BatchJobsGetParametersSortBy": _LOST_ENUM,
    "expression batch:V0BatchJobsGetParametersDirection": _LOST_ENUM,
    "expression batch:ProsodyGranularity": _LOST_ENUM,
    "expression batch:LanguageGranularity": _LOST_ENUM,
    "expression batch:TranscriptionLanguage": _LOST_ENUM,
    "expression batch:TranscriptionMetadataDetectedLanguage": _LOST_ENUM,
    "expression batch:FaceFacs": _UNCONFIGURABLE,
    "expression batch:FaceDescriptions": _UNCONFIGURABLE,
    "expression batch:ModelsBurst": _UNCONFIGURABLE,
    "expression batch:LanguageSentiment": _UNCONFIGURABLE,
    "expression batch:LanguageToxicity": _UNCONFIGURABLE,
    "expression batch:ModelsFacemesh": _UNCONFIGURABLE,
}

# Deliberate differences: "<short> <where> [<what>]" -> reason. The failure message of
# test_upstream_is_covered prints the exact keys of unexpected differences.
_API_KEY = (
    "upstream repeats the API key as a header parameter of every operation; ours declares it once "
    "as the `apiKey` security scheme (header X-Hume-Api-Key) that every operation uses"
)
_METADATA_NULL = "upstream documents the value as always null; typed nullable so that it parses"
EXCEPTIONS: dict[str, str] = {
    "evi header X-Hume-Api-Key [security scheme]": _API_KEY,
    "tts header X-Hume-Api-Key [security scheme]": _API_KEY,
    "voices header X-Hume-Api-Key [security scheme]": _API_KEY,
    "expression header X-Hume-Api-Key [security scheme]": _API_KEY,
    "evi POST /v0/evi/chat/{chat_id}/send response 200 application/json [missing]": _EMPTY_BODY,
    "evi PATCH /v0/evi/configs/{id} response 200 application/json [missing]": _TEXT_BODY,
    "evi DELETE /v0/evi/configs/{id} response 200 application/json [missing]": _EMPTY_BODY,
    "evi DELETE /v0/evi/configs/{id}/version/{version} response 200 application/json [missing]": _EMPTY_BODY,
    "evi PATCH /v0/evi/prompts/{id} response 200 application/json [missing]": _TEXT_BODY,
    "evi DELETE /v0/evi/prompts/{id} response 200 application/json [missing]": _EMPTY_BODY,
    "evi DELETE /v0/evi/prompts/{id}/version/{version} response 200 application/json [missing]": _EMPTY_BODY,
    "evi PATCH /v0/evi/tools/{id} response 200 application/json [missing]": _TEXT_BODY,
    "evi DELETE /v0/evi/tools/{id} response 200 application/json [missing]": _EMPTY_BODY,
    "evi DELETE /v0/evi/tools/{id}/version/{version} response 200 application/json [missing]": _EMPTY_BODY,
    "voices DELETE /v0/tts/voices response 200 application/json [missing]": _EMPTY_BODY,
    "voices schema OctaveVoiceDesignSaveResponse.id [not nullable]": (
        "both upstream voice schemas map to ReturnVoice, whose id is always set (the listed "
        "voices' id is not nullable upstream, and the official SDK types it str)"
    ),
    "expression GET /v0/batch/jobs query timestamp_ms [default]": (
        "upstream's default (1704319392247) is the time its documentation was generated; the "
        "server defaults to the current time, as the description says"
    ),
    "expression schema batch:InferenceBaseRequest.transcription [nullable]": (
        "Hume's SDK definition documents null as the way to turn transcription off"
    ),
    "expression schema batch:V0BatchJobsPostRequestBodyContentMultipartFormDataSchemaJson"
    ".transcription [nullable]": "the same request settings as batch:InferenceBaseRequest",
    "expression schema batch:InferenceRequest.transcription [nullable]": (
        "the same request settings as batch:InferenceBaseRequest"
    ),
    "expression schema batch:ModelsPredictionsFace.metadata [nullable]": _METADATA_NULL,
    "expression schema batch:ModelsPredictionsBurst.metadata [nullable]": _METADATA_NULL,
    "expression schema batch:ModelsPredictionsFacemesh.metadata [nullable]": _METADATA_NULL,
}

# Operations with page_number/page_size that are not paginated: "<file> <METHOD> <path>" -> reason.
UNPAGINATED: dict[str, str] = {
    "empathic-voice.yaml GET /v0/evi/prompts/{id}": (
        "the official SDK returns one ReturnPagedPrompts from list_prompt_versions; code reading it keeps working"
    ),
    "empathic-voice.yaml GET /v0/evi/chat_groups/{id}": (
        "returns the chat group itself with one page of its chats (official SDK: get_chat_group)"
    ),
    "empathic-voice.yaml GET /v0/evi/chat_groups/{id}/audio": (
        "returns the chat group with one page of audio reconstructions (official SDK: get_audio)"
    ),
}

FORMAT_ALIASES = {"uuid4": "uuid", "url": "uri", "uint64": "int64"}
# Keys that constrain a schema (a schema with none of them accepts any value).
STRUCTURAL = {
    "type",
    "$ref",
    "properties",
    "items",
    "additionalProperties",
    "enum",
    "const",
    "oneOf",
    "anyOf",
    "allOf",
}

# ---------------------------------------------------------------------------------------------
# YAML documents, JSON pointers, $refs
# ---------------------------------------------------------------------------------------------


def schema_node(file: Path, name: str) -> Node:
    return Node(file, "/components/schemas/" + escape(name))


def split_nullable(node: Node) -> tuple[Node, bool]:
    """``oneOf: [X, {type: 'null'}]`` -> (X, True); a type list with 'null' -> (node, True)."""
    for key in ("oneOf", "anyOf"):
        members = node.get(key)
        if isinstance(members, list) and len(members) == 2:
            nulls = [i for i, m in enumerate(members) if isinstance(m, dict) and m.get("type") == "null"]
            if len(nulls) == 1:
                return node.child(key, 1 - nulls[0]), True
    kind = node.get("type")
    return node, isinstance(kind, list) and "null" in kind


def types_of(node: Node) -> set[str]:
    value = node.value
    if value is True or value == {}:
        return set()
    kind = value.get("type")
    if isinstance(kind, str):
        return {kind}
    if isinstance(kind, list):
        return set(kind) - {"null"}
    if "allOf" in value or "properties" in value:
        return {"object"}
    return set()


def object_parts(node: Node) -> list[Node]:
    node = node.resolve()
    parts = [node]
    for i, _ in enumerate(node.get("allOf") or []):
        parts.extend(object_parts(node.child("allOf", i)))
    return parts


def properties(node: Node) -> dict[str, Node]:
    out: dict[str, Node] = {}
    for part in object_parts(node):
        for name in part.get("properties") or {}:
            out.setdefault(name, part.child("properties", name))
    return out


def required(node: Node) -> set[str]:
    return {name for part in object_parts(node) for name in part.get("required") or []}


def operations(doc: Any) -> dict[tuple[str, str], Any]:
    return {
        (method, path): op
        for path, item in (doc.get("paths") or {}).items()
        for method, op in item.items()
        if method in HTTP_METHODS
    }


# ---------------------------------------------------------------------------------------------
# The comparison
# ---------------------------------------------------------------------------------------------


class Coverage:
    """Compares one upstream document with ours and collects the differences."""

    def __init__(self, upstream_file: str) -> None:
        self.short, ours = PAIRS[upstream_file]
        self.up_file = UPSTREAM_DIR / upstream_file
        self.our_file = OPENAPI_DIR / ours
        self.our_files = [self.our_file] + [OPENAPI_DIR / f for f in SIBLINGS.get(ours, ())]
        self.differences: set[str] = set()
        self.used: set[str] = set()  # RENAMED / DROPPED / PLACEHOLDERS keys consulted
        self._seen: set[tuple[Node, Node]] = set()

    def diff(self, where: str, what: str) -> None:
        self.differences.add(f"{self.short} {where} [{what}]")

    # components ----------------------------------------------------------------------------

    def counterpart(self, upstream_name: str) -> Node | None:
        key = f"{self.short} {upstream_name}"
        if key in DROPPED:
            self.used.add(key)
            return None
        if key in RENAMED:
            self.used.add(key)
        name = RENAMED.get(key, upstream_name)
        for file in self.our_files:
            if name in ((load(file).get("components") or {}).get("schemas") or {}):
                return schema_node(file, name)
        return None

    def check_components(self) -> None:
        for name in (load(self.up_file).get("components") or {}).get("schemas") or {}:
            ours = self.counterpart(name)
            key = f"{self.short} {name}"
            if ours is None:
                if key not in DROPPED:
                    self.diff(f"schema {name}", "missing")
                continue
            if key in PLACEHOLDERS:
                self.used.add(key)
                continue
            self.compare(schema_node(self.up_file, name), ours, f"schema {name}")

    # schemas ---------------------------------------------------------------------------------

    def compare(self, up: Node, ours: Node, where: str) -> None:
        if (up, ours) in self._seen:
            return
        self._seen.add((up, ours))
        up_inner, up_nullable = split_nullable(up)
        our_inner, our_nullable = (ours, False) if ours.is_ref else split_nullable(ours)
        if up_nullable != our_nullable:
            self.diff(where, "nullable" if our_nullable else "not nullable")
        if up_inner.is_ref:
            self.compare_ref(up_inner, our_inner, where)
        else:  # upstream writes it inline; ours may name it
            self.compare_shape(up_inner, our_inner.resolve(), where)

    def compare_ref(self, up: Node, ours: Node, where: str) -> None:
        target = up.target()
        name = target.pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
        expected = self.counterpart(name)
        if expected is None:  # dropped upstream component: compare with what ours has instead
            self.compare(target, ours, where)
            return
        if ours.is_ref:
            actual = ours.resolve()
            if actual != expected:
                self.diff(
                    where,
                    f"refers to {actual.pointer.rsplit('/', 1)[-1]}, not {name}'s counterpart",
                )
        elif ours != expected:  # ours writes inline what upstream names
            self.compare(target, ours, where)

    def compare_shape(self, up: Node, ours: Node, where: str) -> None:
        # single-member unions are the member
        members = up.get("oneOf")
        if isinstance(members, list) and len(members) == 1 and not ours.has("oneOf"):
            self.compare(up.child("oneOf", 0), ours, where)
            return
        up_types, our_types = types_of(up), types_of(ours)
        if up_types and up_types != our_types:
            self.diff(where, f"type {sorted(our_types)} not {sorted(up_types)}")
        if up.has("format"):
            want = FORMAT_ALIASES.get(up.get("format"), up.get("format"))
            if ours.get("format") != want:
                self.diff(where, "format")
        if up.has("default") and (not ours.has("default") or ours.get("default") != up.get("default")):
            self.diff(where, "default")
        if up.has("enum"):
            our_values = ours.get("enum") or ([ours.get("const")] if ours.has("const") else [])
            for value in up.get("enum"):
                if value not in our_values:
                    self.diff(where, f"enum {value}")
        if up.has("properties"):
            our_props, our_required = properties(ours), required(ours)
            up_required = required(up)
            for name, sub in properties(up).items():
                if name not in our_props:
                    self.diff(f"{where}.{name}", "missing")
                    continue
                if (name in up_required) != (name in our_required):
                    self.diff(f"{where}.{name}", "required" if name in our_required else "optional")
                self.compare(sub, our_props[name], f"{where}.{name}")
        if up.has("items"):
            if ours.has("items"):
                self.compare(up.child("items"), ours.child("items"), f"{where}[]")
            else:
                self.diff(where, "items missing")
        extra = up.get("additionalProperties")
        if isinstance(extra, dict) and set(extra) & STRUCTURAL:  # not just "any value"
            if isinstance(ours.get("additionalProperties"), dict):
                self.compare(
                    up.child("additionalProperties"),
                    ours.child("additionalProperties"),
                    f"{where}{{}}",
                )
            else:
                self.diff(where, "additionalProperties")
        for key in ("oneOf", "anyOf"):
            up_members = up.get(key)
            if not isinstance(up_members, list) or len(up_members) < 2:
                continue
            our_members = ours.get(key)
            if not isinstance(our_members, list) or len(our_members) != len(up_members):
                self.diff(where, f"{key} members")
                continue
            for i, _ in enumerate(up_members):
                self.compare(up.child(key, i), ours.child(key, i), f"{where}/{key}/{i}")

    # operations ------------------------------------------------------------------------------

    def check_operations(self) -> None:
        up_doc, our_doc = load(self.up_file), load(self.our_file)
        ours = operations(our_doc)
        for method, path in operations(up_doc):
            where = f"{method.upper()} {path}"
            if (method, path) not in ours:
                self.diff(where, "missing")
                continue
            up_op = Node(self.up_file, f"/paths/{escape(path)}/{method}")
            our_op = Node(self.our_file, f"/paths/{escape(path)}/{method}")
            self.check_parameters(up_op, our_op, where)
            self.check_operation_bodies(up_op, our_op, where)
        for name, item in (up_doc.get("webhooks") or {}).items():
            for method in item:
                where = f"webhook {name} {method.upper()}"
                if method not in ((our_doc.get("webhooks") or {}).get(name) or {}):
                    self.diff(where, "missing")
                    continue
                up_op = Node(self.up_file, f"/webhooks/{escape(name)}/{method}")
                our_op = Node(self.our_file, f"/webhooks/{escape(name)}/{method}")
                self.check_operation_bodies(up_op, our_op, where)

    def check_parameters(self, up_op: Node, our_op: Node, where: str) -> None:
        ours = {(p.get("in"), p.get("name")): i for i, p in enumerate(our_op.get("parameters") or [])}
        for i, param in enumerate(up_op.get("parameters") or []):
            location, name = param["in"], param["name"]
            if location == "header" and name == API_KEY_HEADER and self.api_key_scheme():
                self.diff(f"header {API_KEY_HEADER}", "security scheme")
                continue
            if (location, name) not in ours:
                self.diff(f"{where} {location} {name}", "missing")
                continue
            our_param = our_op.child("parameters", ours[(location, name)]).resolve()
            if bool(param.get("required")) != bool(our_param.get("required")):
                self.diff(
                    f"{where} {location} {name}",
                    "required" if our_param.get("required") else "optional",
                )
            self.compare(
                up_op.child("parameters", i, "schema"),
                our_param.child("schema"),
                f"{where} {location} {name}",
            )

    def api_key_scheme(self) -> bool:
        """Ours declares the API key header as a security scheme that applies to every operation."""
        doc = load(self.our_file)
        schemes = (doc.get("components") or {}).get("securitySchemes") or {}
        names = {
            name
            for name, s in schemes.items()
            if s.get("type") == "apiKey" and s.get("in") == "header" and s.get("name") == API_KEY_HEADER
        }
        return bool(names) and all(set(req) <= names and req for req in doc.get("security") or [{}])

    def check_operation_bodies(self, up_op: Node, our_op: Node, where: str) -> None:
        up_body = up_op.get("requestBody")
        if up_body:
            our_content = (our_op.get("requestBody") or {}).get("content") or {}
            for media in up_body.get("content") or {}:
                if media not in our_content:
                    self.diff(f"{where} request {media}", "missing")
                    continue
                self.compare(
                    up_op.child("requestBody", "content", media, "schema"),
                    our_op.child("requestBody", "content", media, "schema"),
                    f"{where} request {media}",
                )
        our_responses = our_op.get("responses") or {}
        for status, response in (up_op.get("responses") or {}).items():
            if str(status) not in our_responses:
                self.diff(f"{where} response {status}", "missing")
                continue
            our_content = our_responses[str(status)].get("content") or {}
            for media, content in (response.get("content") or {}).items():
                if media not in our_content:
                    self.diff(f"{where} response {status} {media}", "missing")
                    continue
                if "schema" in content:
                    self.compare(
                        up_op.child("responses", status, "content", media, "schema"),
                        our_op.child("responses", str(status), "content", media, "schema"),
                        f"{where} response {status} {media}",
                    )


@functools.cache
def coverage(upstream_file: str) -> Coverage:
    result = Coverage(upstream_file)
    result.check_operations()
    result.check_components()
    return result


def all_coverage() -> list[Coverage]:
    return [coverage(name) for name in PAIRS]


def our_documents() -> dict[str, Any]:
    return {path.name: load(path) for path in sorted(OPENAPI_DIR.glob("*.yaml"))}


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------


@needs_shared("upstream", "openapi")
def test_upstream_material_is_present() -> None:
    missing = [name for name in PAIRS if not (UPSTREAM_DIR / name).is_file()]
    assert not missing, f"upstream OpenAPI documents not found in {UPSTREAM_DIR}: {missing}"
    for _, ours in PAIRS.values():
        assert (OPENAPI_DIR / ours).is_file(), f"specs/openapi/{ours} is missing"


@needs_shared("upstream", "openapi")
@pytest.mark.parametrize("upstream_file", list(PAIRS))
def test_upstream_is_covered(upstream_file: str) -> None:
    result = coverage(upstream_file)
    expected = {key for key in EXCEPTIONS if key.split(" ", 1)[0] == result.short}
    unexpected = sorted(result.differences - expected)
    assert not unexpected, (
        f"specs/openapi/{result.our_file.name} differs from upstream {upstream_file}; fix it, or add "
        "the difference to EXCEPTIONS with the reason:\n  " + "\n  ".join(unexpected)
    )


@needs_shared("upstream", "openapi")
def test_no_stale_exceptions() -> None:
    differences = set().union(*(c.differences for c in all_coverage()))
    stale = sorted(set(EXCEPTIONS) - differences)
    assert not stale, "EXCEPTIONS entries that match no difference any more (remove them):\n  " + "\n  ".join(stale)


@needs_shared("upstream", "openapi")
def test_no_stale_renames_drops_or_placeholders() -> None:
    used = set().union(*(c.used for c in all_coverage()))
    problems = [
        f"{table} {key!r} is never consulted"
        for table, keys in (
            ("RENAMED", RENAMED),
            ("DROPPED", DROPPED),
            ("PLACEHOLDERS", PLACEHOLDERS),
        )
        for key in keys
        if key not in used
    ]
    for key, name in RENAMED.items():
        short, upstream_name = key.split(" ", 1)
        upstream_file = next(f for f, (s, _) in PAIRS.items() if s == short)
        if coverage(upstream_file).counterpart(upstream_name) is None:
            problems.append(f"RENAMED {key!r}: specs/openapi has no schema {name!r}")
    for key in DROPPED:
        short, name = key.split(" ", 1)
        ours = PAIRS[next(f for f, (s, _) in PAIRS.items() if s == short)][1]
        if name in ((load(OPENAPI_DIR / ours).get("components") or {}).get("schemas") or {}):
            problems.append(f"DROPPED {key!r}: specs/openapi/{ours} has a schema of that name")
    for key in PLACEHOLDERS:
        short, name = key.split(" ", 1)
        upstream_file = next(f for f, (s, _) in PAIRS.items() if s == short)
        schema = load(UPSTREAM_DIR / upstream_file)["components"]["schemas"][name]
        if schema.get("properties") or schema.get("type") != "object":
            problems.append(f"PLACEHOLDERS {key!r}: upstream is no longer an empty object; compare it")
    assert not problems, "\n".join(problems)


def test_upstream_sets_are_consistent() -> None:
    """A name maps one way only, and our names are the keys' canonical form, not renames to self."""
    for key in RENAMED:
        assert key not in DROPPED, f"{key} is both RENAMED and DROPPED"
        assert key.split(" ", 1)[1] != RENAMED[key], f"RENAMED {key} maps a name to itself"
    for key in PLACEHOLDERS:
        assert key in RENAMED, f"PLACEHOLDERS {key} needs its counterpart in RENAMED"


def test_operation_ids_are_unique() -> None:
    seen: dict[str, str] = {}
    duplicates = []
    for file, doc in our_documents().items():
        items = [(f"{m.upper()} {p}", op) for (m, p), op in operations(doc).items()]
        items += [
            (f"webhook {n} {m.upper()}", op)
            for n, item in (doc.get("webhooks") or {}).items()
            for m, op in item.items()
        ]
        for where, op in items:
            op_id = op.get("operationId")
            assert op_id, f"{file} {where} has no operationId"
            if op_id in seen:
                duplicates.append(f"{op_id}: {seen[op_id]} and {file} {where}")
            seen[op_id] = f"{file} {where}"
    assert not duplicates, "duplicate operationIds:\n  " + "\n  ".join(duplicates)


def test_everything_is_described() -> None:
    missing = []
    for file, doc in our_documents().items():
        for (method, path), op in operations(doc).items():
            if not op.get("description") or not op.get("summary"):
                missing.append(f"{file} {method.upper()} {path}")
        for name, schema in ((doc.get("components") or {}).get("schemas") or {}).items():
            if not schema.get("description"):
                missing.append(f"{file} schema {name}")
    assert not missing, "no summary/description:\n  " + "\n  ".join(missing)


def walk_schemas(node: Node) -> Iterator[Node]:
    """Every schema object at or below ``node`` (not following $refs)."""
    value = node.value
    if not isinstance(value, dict):
        return
    yield node
    for key in ("properties",):
        for name in value.get(key) or {}:
            yield from walk_schemas(node.child(key, name))
    for key in ("items", "additionalProperties"):
        if isinstance(value.get(key), dict):
            yield from walk_schemas(node.child(key))
    for key in ("allOf", "oneOf", "anyOf"):
        for i, _ in enumerate(value.get(key) or []):
            yield from walk_schemas(node.child(key, i))


def all_refs(node: Node) -> Iterator[Node]:
    value = node.value
    if isinstance(value, dict):
        if isinstance(value.get("$ref"), str):
            yield node
        for key in value:
            yield from all_refs(node.child(key))
    elif isinstance(value, list):
        for i, _ in enumerate(value):
            yield from all_refs(node.child(i))


@pytest.mark.parametrize("document", sorted(p.name for p in OPENAPI_DIR.glob("*.yaml")))
def test_refs_resolve_and_required_names_exist(document: str) -> None:
    root = Node(OPENAPI_DIR / document, "")
    for ref in all_refs(root):
        ref.resolve()  # raises with the location when a $ref does not resolve
    problems = []
    for name in (load(root.file).get("components") or {}).get("schemas") or {}:
        for schema in walk_schemas(schema_node(root.file, name)):
            declared = set(properties(schema)) if schema.has("allOf") else set(schema.get("properties") or {})
            for req in schema.get("required") or []:
                if req not in declared:
                    problems.append(f"{schema}: required {req!r} is not a property")
    assert not problems, "\n".join(problems)


_TARGET = re.compile(r"^\$\.paths\['([^']+)'\]\.(\w+)$")
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def overlay_operations(document: str) -> dict[tuple[str, str], dict[str, Any]]:
    """Overlay updates by (method, path) of the operation they target."""
    overlay = load(OVERLAY_DIR / OVERLAYS[document])
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for action in overlay["actions"]:
        match = _TARGET.match(action["target"])
        assert match, f"overlays/{OVERLAYS[document]}: unexpected target {action['target']!r}"
        out[(match.group(2), match.group(1))] = action["update"]
    return out


@pytest.mark.parametrize("document", list(OVERLAYS))
def test_overlay_parses_and_targets_operations(document: str) -> None:
    overlay = load(OVERLAY_DIR / OVERLAYS[document])
    assert re.match(r"^1\.0\.\d+$", str(overlay.get("overlay"))), "not an Overlay 1.0 document"
    assert overlay["info"].get("title") and overlay["info"].get("version")
    assert overlay["actions"], "no actions"
    ops = operations(load(OPENAPI_DIR / document))
    updates = overlay_operations(document)
    for (method, path), update in updates.items():
        op = ops.get((method, path))
        assert op is not None, f"overlay targets {method.upper()} {path}, which {document} does not have"
        assert set(update) <= {
            "x-sdk-method",
            "x-sdk-pagination",
            "x-sdk-variants",
            "x-sdk-group",
        }, update
        if "x-sdk-method" in update:
            assert _IDENTIFIER.match(update["x-sdk-method"]), update["x-sdk-method"]
        for variant in update.get("x-sdk-variants", []):
            assert _IDENTIFIER.match(variant["method"]), variant
            assert variant["content-type"] in op["requestBody"]["content"], variant
    unnamed = [
        f"{m.upper()} {p}" for (m, p) in ops if not ({"x-sdk-method", "x-sdk-variants"} & set(updates.get((m, p), {})))
    ]
    assert not unnamed, f"operations of {document} without an SDK method name in the overlay: {unnamed}"


@pytest.mark.parametrize("document", list(OVERLAYS))
def test_page_number_endpoints_are_paginated(document: str) -> None:
    ops = operations(load(OPENAPI_DIR / document))
    updates = overlay_operations(document)
    for (method, path), op in ops.items():
        params = {p["name"] for p in op.get("parameters") or [] if p.get("in") == "query"}
        key = f"{document} {method.upper()} {path}"
        paging = updates.get((method, path), {}).get("x-sdk-pagination")
        if "page_number" not in params:
            assert paging is None, f"{key} has no page_number parameter but x-sdk-pagination"
            continue
        if key in UNPAGINATED:
            assert paging is None, f"{key} is listed in UNPAGINATED but paginated"
            continue
        assert paging is not None, f"{key} takes page_number but has no x-sdk-pagination"
        assert paging["kind"] == "offset" and paging["page"] == "page_number" and paging["first-page"] == 0
        response = Node(
            OPENAPI_DIR / document,
            f"/paths/{escape(path)}/{method}/responses/200/content/application~1json/schema",
        ).resolve()
        props = properties(response)
        assert types_of(props[paging["items"]].resolve()) == {"array"}, f"{key}: items {paging['items']} is no list"
        assert paging.get("total-pages") in props, f"{key}: total-pages {paging.get('total-pages')} is no property"
    for key in UNPAGINATED:
        file, method, path = key.split(" ")
        if file == document:
            assert (method.lower(), path) in ops, f"UNPAGINATED {key} names no operation"
