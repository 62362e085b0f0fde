using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rlsc.Core;
using Rlsc.Core.Evaluation.Answers;
using Rlsc.Core.Evaluation.Grading;
using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.Evaluation.Suites;
using Rlsc.Core.IO;

namespace Rlsc.Cli.Commands;

/// <summary>
/// `rlsc grade`: the grader on its own. `--gold A --pred B` grades one pair (exit 0 when equal, 2 when not);
/// `--input F.jsonl [--output G.jsonl]` grades lines with `gold` and `pred` (a bare answer or a whole response)
/// and an optional `question` (as `--question`: a question that asks for a percentage lets a predicted x% mean x)
/// and writes them back with `extracted`, `rule`, `equal` and `method` added (to stdout without --output).
/// </summary>
public static class GradeCommand
{
    /// <summary>Exit code of `rlsc grade --gold --pred` when the answers differ (1 stays for errors).</summary>
    public const int NotEqual = 2;

    public static Command Create()
    {
        var gold = new Option<string?>("--gold") { Description = "The gold answer (bare, possibly in $...$)." };
        var pred = new Option<string?>("--pred") { Description = "The predicted answer, or a whole response to extract it from." };
        var input = new Option<string?>("--input") { Description = "A JSONL file whose lines have \"gold\" and \"pred\"." };
        var output = new Option<string?>("--output") { Description = "Where to write the graded lines (default: stdout)." };
        var suite = new Option<string?>("--suite") { Description = "Grade with this suite's grading options (e.g. minerva_math compares integers with the tolerance)." };
        var question = new Option<string?>("--question") { Description = "The problem's text: when it asks for a percentage, a predicted x% may also mean x (as the evaluation grades)." };
        var suitesDir = new Option<string?>("--suites-dir") { Description = "Folder of suite manifests (default: RLSC_SUITES, else the checkout's eval-suites/)." };
        var command = new Command("grade", "Decide whether predicted answers equal gold answers, as the evaluation does.")
        {
            gold, pred, question, input, output, suite, suitesDir,
        };
        CommandAction.Set(command, parse =>
        {
            var options = parse.GetValue(suite) is { } name ? SuiteCatalog.Find(name, parse.GetValue(suitesDir)).GradingOptions : GradingOptions.Default;
            var grader = new MathGrader(options);
            var stdout = parse.InvocationConfiguration.Output;
            if (parse.GetValue(output) is { } outputFile) Rlsc.Core.IO.OutputPath.RequireFile(outputFile, "--output");
            if (parse.GetValue(input) is { } inputFile)
            {
                if (parse.GetValue(gold) is not null || parse.GetValue(pred) is not null || parse.GetValue(question) is not null)
                    throw new RlscException(ErrorCodes.InvalidArgument, "give either --input F.jsonl (with \"question\" on its lines), or --gold and --pred [--question], not both.");
                return GradeFile(inputFile, parse.GetValue(output), grader, stdout);
            }
            if (parse.GetValue(gold) is not { } g || parse.GetValue(pred) is not { } p)
                throw new RlscException(ErrorCodes.InvalidArgument, "give --gold and --pred (one pair), or --input F.jsonl (many).");
            var extracted = AnswerExtractor.ExtractOrBare(p);
            var result = grader.ForQuestion(parse.GetValue(question)).Grade(extracted.Answer, g);
            stdout.WriteLine($"{(result.Equal ? "equal" : "not equal")} ({result.Method}): extracted '{extracted.Answer}' by rule {extracted.Rule.ToName()}, gold '{g}'");
            return result.Equal ? 0 : NotEqual;
        });
        return command;
    }

    static int GradeFile(string path, string? outputPath, MathGrader grader, TextWriter stdout)
    {
        if (!File.Exists(path)) throw new RlscException(ErrorCodes.FileNotFound, "the input file does not exist.", path);
        var lines = new List<string>();
        int lineNumber = 0, graded = 0, equal = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonObject record;
            try
            {
                record = JsonNode.Parse(line) as JsonObject ?? throw new RlscException(ErrorCodes.GradeInputInvalid, "expected a JSON object with \"gold\" and \"pred\".", path, lineNumber);
            }
            catch (JsonException e)
            {
                throw new RlscException(ErrorCodes.GradeInputInvalid, $"not valid JSON: {e.Message}", path, lineNumber, e);
            }
            string goldText = Text(record, "gold", path, lineNumber);
            string predText = Text(record, "pred", path, lineNumber);
            var extracted = AnswerExtractor.ExtractOrBare(predText);
            string? questionText = record["question"] is null ? null : Text(record, "question", path, lineNumber);
            var result = grader.ForQuestion(questionText).Grade(extracted.Answer, goldText);
            record["extracted"] = extracted.Answer;
            record["rule"] = extracted.Rule.ToName();
            record["equal"] = result.Equal;
            record["method"] = result.Method;
            lines.Add(record.ToJsonString(RlscJson.Line));
            graded++;
            if (result.Equal) equal++;
        }
        string text = lines.Count == 0 ? "" : string.Join("\n", lines) + "\n";
        string tally = $"graded {graded}: {equal} equal ({(graded == 0 ? 0 : 100.0 * equal / graded):0.0}%)";
        if (outputPath is null)
        {
            stdout.Write(text);
            Console.Error.WriteLine(tally);
        }
        else
        {
            AtomicFile.WriteAllText(outputPath, text);
            stdout.WriteLine($"{tally}; written to {outputPath}");
        }
        return 0;
    }

    /// <summary>A string field, or a number kept as written (amc23's gold 27.0).</summary>
    static string Text(JsonObject record, string field, string path, int line)
    {
        var node = record[field];
        if (node is JsonValue value)
        {
            if (value.TryGetValue<string>(out var s)) return s;
            if (value.GetValueKind() == JsonValueKind.Number) return value.ToJsonString();
        }
        throw new RlscException(ErrorCodes.GradeInputInvalid, $"\"{field}\" is missing or not a string (or number).", path, line);
    }
}
