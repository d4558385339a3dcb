"""The layout of the docs' examples: black's style at DOCS_LINE_LENGTH, without black.

The expected texts are what black 26 gives for the same statements.
"""

from __future__ import annotations

import ast

from hypothesis import given
from hypothesis import strategies as st

from generator.render.printer import Code, Statement, _string, lay_out


def call(head: str, *items: Code) -> Code:
    return Code(head + "(", items, ")")


def atom(text: str) -> Code:
    return Code(text)


def arg(name: str, value: Code) -> Code:
    return value.after(name + "=")


def test_a_statement_that_fits_stays_on_one_line() -> None:
    voice = call("VoiceName", arg("name", atom('"Ito"')), arg("provider", atom('"HUME_AI"')))
    line = Statement("response = ", call("client.configs.create_config", arg("voice", voice)))
    assert lay_out(line) == ['response = client.configs.create_config(voice=VoiceName(name="Ito", provider="HUME_AI"))']
    assert lay_out("print(response)") == ["print(response)"]


def test_arguments_that_fit_on_their_own_line_keep_together_without_a_trailing_comma() -> None:
    utterances = Code("[", (call("PostedUtterance", arg("text", atom('"text"'))),), "]")
    line = Statement("for chunk in ", call("client.tts.synthesize_json_streaming", arg("utterances", utterances)), ":")
    assert lay_out(line) == [
        "for chunk in client.tts.synthesize_json_streaming(",
        '    utterances=[PostedUtterance(text="text")]',
        "):",
    ]


def test_arguments_that_do_not_fit_go_one_per_line_with_a_trailing_comma() -> None:
    args = [arg(f"argument_number_{n}", atom(f'"value number {n}"')) for n in range(4)]
    line = Statement("response = await ", call("client.empathic_voice.configs.create_config", *args), indent="    ")
    assert lay_out(line) == [
        "    response = await client.empathic_voice.configs.create_config(",
        '        argument_number_0="value number 0",',
        '        argument_number_1="value number 1",',
        '        argument_number_2="value number 2",',
        '        argument_number_3="value number 3",',
        "    )",
    ]


def test_nested_calls_explode_in_turn_with_their_own_indentation() -> None:
    inner = call("LanguageModel", arg("model_provider", atom('"OPEN_AI"')), arg("model_resource", atom('"gpt-4o"')))
    prompt = call(
        "PostedConfigPromptSpec",
        arg("id", atom('"af699d45-2985-42cc-91b9-af9e5da3bac5"')),
        arg("version", atom("0")),
        arg("language_model", inner),
        arg("text", atom('"You are a helpful assistant who explains the weather."')),
    )
    line = Statement(
        "", call("client.empathic_voice.configs.create_config", arg("prompt", prompt), arg("name", atom('"n"')))
    )
    assert lay_out(line) == [
        "client.empathic_voice.configs.create_config(",
        "    prompt=PostedConfigPromptSpec(",
        '        id="af699d45-2985-42cc-91b9-af9e5da3bac5",',
        "        version=0,",
        '        language_model=LanguageModel(model_provider="OPEN_AI", model_resource="gpt-4o"),',
        '        text="You are a helpful assistant who explains the weather.",',
        "    ),",
        '    name="n",',
        ")",
    ]


def test_a_single_argument_too_long_for_its_line_splits_at_its_own_brackets() -> None:
    text = "x" * 80
    utterances = Code("[", (call("PostedUtterance", arg("text", atom(f'"{text}"'))),), "]")
    line = Statement("response = ", call("client.tts.synthesize_json", arg("utterances", utterances)))
    assert lay_out(line) == [
        "response = client.tts.synthesize_json(",
        "    utterances=[",
        "        PostedUtterance(",
        f'            text="{text}"',
        "        )",
        "    ]",
        ")",
    ]


def test_a_list_literal_that_is_split_always_gets_one_item_per_line() -> None:
    files = Code(
        "[", (call("pathlib.Path", atom('"path/to/file"')), call("pathlib.Path", atom('"path/to/file2"'))), "]"
    )
    line = Statement(
        "response = ", call("client.expression_measurement.batch.start_inference_job_with_file", arg("file", files))
    )
    assert lay_out(line) == [
        "response = client.expression_measurement.batch.start_inference_job_with_file(",
        '    file=[pathlib.Path("path/to/file"), pathlib.Path("path/to/file2")]',
        ")",
    ]
    longer_files = Code(
        "[",
        (
            call("pathlib.Path", atom('"path/to/a_longer_file_name.wav"')),
            call("pathlib.Path", atom('"path/to/file2.wav"')),
        ),
        "]",
    )
    longer = Statement(
        "", call("client.batch.start", arg("files", longer_files), arg("other", atom('"' + "o" * 40 + '"')))
    )
    assert lay_out(longer) == [
        "client.batch.start(",
        "    files=[",
        '        pathlib.Path("path/to/a_longer_file_name.wav"),',
        '        pathlib.Path("path/to/file2.wav"),',
        "    ],",
        '    other="' + "o" * 40 + '",',
        ")",
    ]


def test_a_long_method_path_in_an_assignment_goes_in_parentheses() -> None:
    files = Code(
        "[", (call("pathlib.Path", atom('"path/to/file"')), call("pathlib.Path", atom('"path/to/file2"'))), "]"
    )
    method = "client.expression_measurement.batch.start_inference_job_from_local_file"
    line = Statement("response = await ", call(method, arg("file", files)), indent="    ")
    assert lay_out(line) == [
        "    response = (",
        f"        await {method}(",
        '            file=[pathlib.Path("path/to/file"), pathlib.Path("path/to/file2")]',
        "        )",
        "    )",
    ]
    bare = Statement("response = ", call("client." + "x" * 80), indent="        ")
    assert lay_out(bare) == ["        response = (", "            client." + "x" * 80 + "()", "        )"]


def test_a_long_method_path_in_a_for_splits_off_the_target() -> None:
    method = "client.some_rather_long_field_name.utterances.voice." + "x" * 30
    line = Statement("for chunk in ", call(method, arg("voice", atom("0.5"))), ":", indent="    ")
    assert lay_out(line) == [
        "    for (",
        "        chunk",
        f"    ) in {method}(",
        "        voice=0.5",
        "    ):",
    ]


def test_string_literals_stay_valid_and_take_black_quotes() -> None:
    for value in ['say "hi"', "it's", "both ' and \" and \\", "new\nline", "tab\t and \u2028", "\\\"'", ""]:
        literal = _string(value)
        assert ast.literal_eval(literal) == value
        assert "\n" not in literal
    assert _string('say "hi"') == "'say \"hi\"'"
    assert _string("it's") == '"it\'s"'
    assert _string("\"a\" 'b'") == '"\\"a\\" \'b\'"'


def _codes() -> st.SearchStrategy[Code]:
    names = st.sampled_from(["a", "name", "voice", "utterances", "some_rather_long_field_name", "x" * 30])
    scalars = st.one_of(st.text(max_size=30).map(_string), st.integers().map(str), st.just("True"), st.just("None"))
    leaves = scalars.map(atom)

    def extend(children: st.SearchStrategy[Code]) -> st.SearchStrategy[Code]:
        items = st.lists(children, max_size=4).map(tuple)
        return st.one_of(
            st.tuples(names, st.lists(st.tuples(names, children), max_size=4)).map(
                lambda t: call(t[0].capitalize(), *(arg(n, v) for n, v in t[1]))
            ),
            items.map(lambda i: Code("[", i, "]")),
            st.lists(st.tuples(scalars, children), max_size=3).map(
                lambda kv: Code("{", tuple(v.after(k + ": ") for k, v in kv), "}")
            ),
        )

    return st.recursive(leaves, extend, max_leaves=12)


@given(st.lists(_codes(), max_size=4), st.sampled_from(["response = ", "response = await ", "for chunk in ", ""]))
def test_any_layout_is_the_same_python_as_the_flat_line(args: list[Code], prefix: str) -> None:
    suffix = ":" if prefix.startswith("for") else ""
    line = Statement(prefix, call("client.empathic_voice.configs.create_config", *args), suffix, indent="    ")
    body = "\n        pass" if suffix else ""
    laid_out = "async def main():\n" + "\n".join(lay_out(line)) + body
    flat = "async def main():\n    " + prefix + line.code.flat() + suffix + body
    assert ast.dump(ast.parse(laid_out)) == ast.dump(ast.parse(flat))
