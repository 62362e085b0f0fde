using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Rlsc.Core;
using Rlsc.Core.IO;
using Rlsc.Core.Tokenization;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Sampling;

namespace Rlsc.Cli.Commands;

/// <summary>
/// `rlsc generate --model DIR (--prompt P | --input F.jsonl) [--samples N --temperature T --top-p P --top-k K
/// --max-new-tokens M --seed S --chat-template qwen25-math-cot|qwen25-chat|none --stop S ...]`: one JSON line per
/// sample: {"prompt_index","sample_index","text","token_ids","token_logprobs","sum_logprob","finish_reason"}
/// (and the input line's "id" when it has one). Input lines carry "prompt" (text, templated when --chat-template
/// is given) or "prompt_ids".
/// </summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var prompt = new Option<string?>("--prompt") { Description = "One prompt (the question when --chat-template is given)." };
        var input = new Option<FileInfo?>("--input") { Description = "JSONL file, one prompt per line: {\"prompt\": \"...\"} or {\"prompt_ids\": [...]}, optionally with an \"id\" copied to the output." };
        var samples = new Option<int>("--samples") { Description = "Completions per prompt; they share one prefill.", DefaultValueFactory = _ => 1 };
        var temperature = new Option<float>("--temperature") { Description = "Sampling temperature; 0 = greedy.", DefaultValueFactory = _ => 1f };
        var topP = new Option<float>("--top-p") { Description = "Nucleus sampling threshold (1 = off).", DefaultValueFactory = _ => 1f };
        var topK = new Option<int>("--top-k") { Description = "Sample among the K likeliest tokens (0 = off).", DefaultValueFactory = _ => 0 };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Longest completion in tokens.", DefaultValueFactory = _ => 512 };
        var seed = new Option<long>("--seed") { Description = "Seed: the same seed, model and prompts give the same completions.", DefaultValueFactory = _ => 0 };
        var template = new Option<string>("--chat-template") { Description = $"Wrap each text prompt in a chat template: {string.Join(", ", ChatTemplates.Names)}.", DefaultValueFactory = _ => ChatTemplates.None };
        var system = new Option<string?>("--system") { Description = "System message replacing the template's default." };
        var stop = new Option<string[]>("--stop") { Description = "A string that ends a completion (repeatable); EOS tokens always do.", AllowMultipleArgumentsPerToken = false };
        var batch = new Option<int?>("--batch-size") { Description = "Most sequences (prompts x samples) decoded at once; default: all." };
        var output = new Option<FileInfo?>("--output") { Description = "Write the JSON lines to this file (atomically) instead of stdout." };
        var command = new Command("generate", "Sample completions with a KV cache and print them as JSON lines with token ids and log-probs.")
        {
            prompt, input, samples, temperature, topP, topK, maxNew, seed, template, system, stop, batch, output,
        };
        model.AddTo(command);
        CommandAction.Set(command, (parse, cancellation) =>
        {
            string? single = parse.GetValue(prompt);
            FileInfo? file = parse.GetValue(input);
            if ((single is null) == (file is null))
                throw new RlscException(ErrorCodes.InvalidArgument, "give exactly one of --prompt and --input.");
            // Before the model is loaded and the prompts generated, not after.
            if (parse.GetValue(output) is { } outputFile) OutputPath.RequireFile(outputFile.FullName, "--output");
            var options = new GenerationOptions
            {
                SamplesPerPrompt = parse.GetValue(samples),
                Temperature = parse.GetValue(temperature),
                TopP = parse.GetValue(topP),
                TopK = parse.GetValue(topK),
                MaxNewTokens = parse.GetValue(maxNew),
                Seed = parse.GetValue(seed),
                StopStrings = parse.GetValue(stop) ?? [],
                MaxBatchSize = parse.GetValue(batch),
            };
            options.Validate();
            string templateName = parse.GetValue(template)!;
            string? systemMessage = parse.GetValue(system);
            ChatTemplates.Render(templateName, "", systemMessage);  // an unknown template fails before the model loads

            using var lm = model.Load(parse, cancellation);
            var prompts = new List<(string? Id, int[] Ids)>();
            if (single is not null)
                prompts.Add((null, lm.Tokenizer.Encode(ChatTemplates.Render(templateName, single, systemMessage), addSpecialTokens: true)));
            else
                prompts.AddRange(ReadPrompts(file!.FullName, lm, templateName, systemMessage));

            var progress = GenerationProgressPrinter.ForConsole();
            IReadOnlyList<GeneratedSequence> results;
            try
            {
                results = Generation.Generate(lm, prompts.Select(p => p.Ids).ToList(), options, progress, cancellation);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                progress.Finish();
                throw new RlscException(ErrorCodes.Interrupted, "generation was interrupted; nothing was written. Run the command again.");
            }
            progress.Finish();
            var lines = results.Select(r => ToJsonLine(r, prompts[r.PromptIndex].Id));
            if (parse.GetValue(output) is { } path)
                AtomicFile.WriteAllText(path.FullName, string.Concat(lines.Select(l => l + "\n")));
            else
                foreach (string line in lines) parse.InvocationConfiguration.Output.WriteLine(line);
            return Task.FromResult(0);
        });
        return command;
    }

    static IEnumerable<(string? Id, int[] Ids)> ReadPrompts(string path, CausalLM lm, string template, string? system)
    {
        const string example = "{\"prompt\": \"...\"} or {\"prompt_ids\": [1, 2]}";
        foreach (var (line, value) in JsonLinesInput.Read(path, example))
        {
            string? id = value.TryGetProperty("id", out var idValue) ? idValue.ToString() : null;
            string? text = JsonLinesInput.String(value, "prompt", path, line);
            int[]? ids = JsonLinesInput.Ids(value, "prompt_ids", path, line);
            if ((text is null) == (ids is null))
                throw new RlscException(ErrorCodes.MalformedData, $"give exactly one of \"prompt\" and \"prompt_ids\", like {example}.", path, line);
            if (ids is not null && ids.Any(i => i >= lm.Config.VocabSize))
                throw new RlscException(ErrorCodes.MalformedData, $"\"prompt_ids\" holds an id past the vocabulary ({lm.Config.VocabSize}).", path, line);
            if (ids is { Length: 0 } || text is { Length: 0 } && template == ChatTemplates.None)
                throw new RlscException(ErrorCodes.MalformedData, "the prompt is empty.", path, line);
            yield return (id, ids ?? lm.Tokenizer.Encode(ChatTemplates.Render(template, text!, system), addSpecialTokens: true));
        }
    }

    static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal static string ToJsonLine(GeneratedSequence s, string? id)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Writer))
        {
            w.WriteStartObject();
            if (id is not null) w.WriteString("id", id);
            w.WriteNumber("prompt_index", s.PromptIndex);
            w.WriteNumber("sample_index", s.SampleIndex);
            w.WriteString("text", s.Text);
            w.WriteStartArray("token_ids");
            foreach (int t in s.TokenIds) w.WriteNumberValue(t);
            w.WriteEndArray();
            w.WriteStartArray("token_logprobs");
            foreach (float lp in s.TokenLogProbs) w.WriteNumberValue(lp);
            w.WriteEndArray();
            w.WriteNumber("sum_logprob", s.SumLogProb);
            w.WriteString("finish_reason", s.FinishReason);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
