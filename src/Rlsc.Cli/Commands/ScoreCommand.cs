using System.CommandLine;
using System.Text.Json;
using Rlsc.Core;
using Rlsc.Core.IO;
using Rlsc.Core.Tokenization;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Sampling;

namespace Rlsc.Cli.Commands;

/// <summary>
/// `rlsc score --model DIR --input F.jsonl [--temperature T]`: teacher-forced log-probs of each line's completion
/// given its prompt, under log_softmax(logits / T). Lines carry "prompt"/"completion" text (encoded separately, as
/// a sampled completion follows its prompt) or "prompt_ids"/"completion_ids". One output line per input line:
/// {"completion_ids": [...], "token_logprobs": [...], "sum": x} (and the input's "id").
/// </summary>
public static class ScoreCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var input = new Option<FileInfo>("--input") { Description = "JSONL file: {\"prompt\": \"...\", \"completion\": \"...\"} or {\"prompt_ids\": [...], \"completion_ids\": [...]} per line.", Required = true };
        var temperature = new Option<float>("--temperature") { Description = "Divide the logits by T before the log-softmax (use the sampling temperature to get back sampled log-probs).", DefaultValueFactory = _ => 1f };
        var template = new Option<string>("--chat-template") { Description = $"Wrap each text prompt in a chat template: {string.Join(", ", ChatTemplates.Names)}.", DefaultValueFactory = _ => ChatTemplates.None };
        var batch = new Option<int>("--batch-size") { Description = "Pairs scored per forward pass.", DefaultValueFactory = _ => 8 };
        var output = new Option<FileInfo?>("--output") { Description = "Write the JSON lines to this file (atomically) instead of stdout." };
        var command = new Command("score", "Teacher-forced per-token log-probs of completions given prompts, as JSON lines.")
        {
            input, temperature, template, batch, output,
        };
        model.AddTo(command);
        CommandAction.Set(command, (parse, cancellation) =>
        {
            float t = parse.GetValue(temperature);
            if (!(t > 0)) throw new RlscException(ErrorCodes.InvalidArgument, $"--temperature is {t}; scoring needs a positive temperature.");
            int batchSize = parse.GetValue(batch);
            if (batchSize < 1) throw new RlscException(ErrorCodes.InvalidArgument, "--batch-size must be at least 1.");
            string templateName = parse.GetValue(template)!;
            ChatTemplates.Render(templateName, "");
            if (parse.GetValue(output) is { } outputFile) OutputPath.RequireFile(outputFile.FullName, "--output");

            using var lm = model.Load(parse, cancellation);
            var rows = ReadPairs(parse.GetValue(input)!.FullName, lm, templateName).ToList();
            var scores = new List<float[]>(rows.Count);
            for (int start = 0; start < rows.Count; start += batchSize)
            {
                if (cancellation.IsCancellationRequested)
                    throw new RlscException(ErrorCodes.Interrupted, "scoring was interrupted; nothing was written. Run the command again.");
                var chunk = rows.Skip(start).Take(batchSize).Select(r => (r.Prompt, r.Completion)).ToList();
                scores.AddRange(TeacherForcing.Score(lm.Module, chunk, t, batchSize, lm.SourceDirectory));
                Console.Error.WriteLine($"score: {Math.Min(start + batchSize, rows.Count)}/{rows.Count} pairs");
            }
            var lines = rows.Select((r, i) => ToJsonLine(r.Id, r.Completion, scores[i]));
            if (parse.GetValue(output) is { } path)
                AtomicFile.WriteAllText(path.FullName, string.Concat(lines.Select(l => l + "\n")));
            else
                foreach (string line in lines) parse.InvocationConfiguration.Output.WriteLine(line);
            return Task.FromResult(0);
        });
        return command;
    }

    static IEnumerable<(string? Id, int[] Prompt, int[] Completion)> ReadPairs(string path, CausalLM lm, string template)
    {
        const string example = "{\"prompt\": \"...\", \"completion\": \"...\"}";
        foreach (var (line, value) in JsonLinesInput.Read(path, example))
        {
            string? id = value.TryGetProperty("id", out var idValue) ? idValue.ToString() : null;
            int[]? prompt = JsonLinesInput.Ids(value, "prompt_ids", path, line);
            int[]? completion = JsonLinesInput.Ids(value, "completion_ids", path, line);
            string? promptText = JsonLinesInput.String(value, "prompt", path, line);
            string? completionText = JsonLinesInput.String(value, "completion", path, line);
            if ((prompt is null) == (promptText is null) || (completion is null) == (completionText is null))
                throw new RlscException(ErrorCodes.MalformedData, $"give the prompt as \"prompt\" or \"prompt_ids\" and the completion as \"completion\" or \"completion_ids\", like {example}.", path, line);
            prompt ??= lm.Tokenizer.Encode(ChatTemplates.Render(template, promptText!), addSpecialTokens: true);
            completion ??= lm.Tokenizer.Encode(completionText!);
            if (prompt.Length == 0)
                throw new RlscException(ErrorCodes.MalformedData, "the prompt is empty: the completion's first token needs a token before it.", path, line);
            if (prompt.Concat(completion).Any(i => i >= lm.Config.VocabSize))
                throw new RlscException(ErrorCodes.MalformedData, $"a token id is past the vocabulary ({lm.Config.VocabSize}).", path, line);
            yield return (id, prompt, completion);
        }
    }

    static string ToJsonLine(string? id, int[] completion, float[] logProbs)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (id is not null) w.WriteString("id", id);
            w.WriteStartArray("completion_ids");
            foreach (int t in completion) w.WriteNumberValue(t);
            w.WriteEndArray();
            w.WriteStartArray("token_logprobs");
            foreach (float lp in logProbs) w.WriteNumberValue(lp);
            w.WriteEndArray();
            w.WriteNumber("sum", logProbs.Sum(x => (double)x));
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
