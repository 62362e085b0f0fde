using System.Text.Json;
using Rlsc.Core.IO;

namespace Rlsc.Core.Gate;

/// <summary>
/// Reads and validates thresholds files. Every problem is an RLSC087 that names the file, the line and the
/// field, and unknown fields are errors, so that a typo (`min_acuracy`) can never silently switch a check off.
/// </summary>
public static class ThresholdsLoader
{
    public const string Schema = "rlsc.gate.thresholds/v1";

    static readonly HashSet<string> TopLevelFields = ["$schema", "schema", "model_key", "models", "any_model", "alpha", "description", "source", "suites"];
    static readonly HashSet<string> SuiteFields =
        ["metric", "temperature", "min_accuracy", "max_drop", "golden", "count", "not_worse_than_base", "min_gain", "pending", "note"];

    public static ModelThresholds Load(string path)
    {
        byte[] bytes = InputFile.ReadAllBytes(path, ErrorCodes.GateThresholdsInvalid, "the thresholds file",
            "pass an existing --thresholds file or a --model-key from eval-suites/thresholds.");
        return Parse(bytes, path);
    }

    public static ModelThresholds Parse(byte[] bytes, string path)
    {
        try
        {
            return ParseDocument(bytes, path);
        }
        catch (Exception e) when (JsonUnicode.IsUnpairedSurrogate(e))
        {
            throw Invalid(path, null, JsonUnicode.Explanation + ".");
        }
    }

    static ModelThresholds ParseDocument(byte[] bytes, string path)
    {
        // Comments are allowed: thresholds are edited by hand and the reasons belong next to the numbers.
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip };
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, options);
        }
        catch (JsonException e)
        {
            throw Invalid(path, (int)(e.LineNumber ?? 0) + 1, $"not valid JSON: {e.Message}");
        }

        using (document)
        {
            DuplicateKeyCheck.Check(bytes, path, ErrorCodes.GateThresholdsInvalid, allowComments: true);
            var lines = JsonLineMap.Build(bytes, allowComments: true);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Invalid(path, 1, "expected a JSON object with `schema`, `model_key` and `suites`.");

            foreach (var property in root.EnumerateObject())
                if (!TopLevelFields.Contains(property.Name))
                    throw Invalid(path, lines.LineOf(property.Name),
                        $"unknown field `{property.Name}`; the fields are {string.Join(", ", TopLevelFields.Select(f => $"`{f}`"))}.");

            string schema = RequiredString(root, "schema", path, lines);
            if (schema != Schema)
                throw Invalid(path, lines.LineOf("schema"), $"field `schema` is \"{schema}\", expected \"{Schema}\".");

            string modelKey = RequiredString(root, "model_key", path, lines);
            string expectedKey = Path.GetFileNameWithoutExtension(path);
            if (modelKey != expectedKey)
                throw Invalid(path, lines.LineOf("model_key"),
                    $"field `model_key` is \"{modelKey}\" but the file is named {Path.GetFileName(path)}: they must agree, " +
                    "so that --model-key finds the file (rename one of them).");

            var models = new List<string>();
            if (root.TryGetProperty("models", out var modelsElement))
            {
                if (modelsElement.ValueKind != JsonValueKind.Array)
                    throw Invalid(path, lines.LineOf("models"), "field `models` must be an array of model names (strings).");
                int i = 0;
                foreach (var item in modelsElement.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
                        throw Invalid(path, lines.LineOf($"models.{i}") ?? lines.LineOf("models"), $"field `models[{i}]` must be a non-empty string.");
                    models.Add(item.GetString()!);
                    i++;
                }
            }

            // The binding of a key to its models: a summary of another model must not pass under this key's numbers.
            bool anyModel = false;
            if (root.TryGetProperty("any_model", out var anyElement))
            {
                if (anyElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    throw Invalid(path, lines.LineOf("any_model"), "field `any_model` must be true or false.");
                anyModel = anyElement.GetBoolean();
            }
            if (anyModel && models.Count > 0)
                throw Invalid(path, lines.LineOf("any_model"), "`any_model` is true but `models` lists names: say one or the other.");
            if (!anyModel && models.Count == 0)
                throw Invalid(path, lines.LineOf("models") ?? 1,
                    "`models` is empty or missing: list the model names (`model.name` in summaries) this key admits, " +
                    "or set `\"any_model\": true` to admit every model explicitly.");

            double alpha = 0.05;
            if (root.TryGetProperty("alpha", out var alphaElement))
            {
                if (alphaElement.ValueKind != JsonValueKind.Number || alphaElement.GetDouble() is not (> 0 and < 0.5))
                    throw Invalid(path, lines.LineOf("alpha"), "field `alpha` must be a significance level between 0 and 0.5 (0.05).");
                alpha = alphaElement.GetDouble();
            }

            if (!root.TryGetProperty("suites", out var suitesElement) || suitesElement.ValueKind != JsonValueKind.Object)
                throw Invalid(path, lines.LineOf("suites") ?? 1, "field `suites` is missing or not an object of suite name -> thresholds.");
            var suites = new Dictionary<string, SuiteThreshold>(StringComparer.Ordinal);
            foreach (var suite in suitesElement.EnumerateObject())
                suites[suite.Name] = ParseSuite(suite, path, lines);
            if (suites.Count == 0)
                throw Invalid(path, lines.LineOf("suites"), "field `suites` is empty: a gate with no suites would pass anything.");

            return new ModelThresholds(path, modelKey, models, suites, anyModel, alpha);
        }
    }

    static SuiteThreshold ParseSuite(JsonProperty suite, string path, JsonLineMap lines)
    {
        string at = $"suites.{suite.Name}";
        int? line = lines.LineOf(at);
        if (suite.Value.ValueKind != JsonValueKind.Object)
            throw Invalid(path, line, $"field `{at}` must be an object with `min_accuracy` and/or `max_drop`, or `\"pending\": true`.");

        foreach (var property in suite.Value.EnumerateObject())
            if (!SuiteFields.Contains(property.Name))
                throw Invalid(path, lines.LineOf($"{at}.{property.Name}"),
                    $"unknown field `{at}.{property.Name}`; a suite's fields are {string.Join(", ", SuiteFields.Select(f => $"`{f}`"))}.");

        double? min = Fraction(suite.Value, "min_accuracy", at, path, lines);
        double? maxDrop = Fraction(suite.Value, "max_drop", at, path, lines);
        double? golden = Fraction(suite.Value, "golden", at, path, lines);

        int? count = null;
        if (suite.Value.TryGetProperty("count", out var countElement) && countElement.ValueKind != JsonValueKind.Null)
        {
            if (countElement.ValueKind != JsonValueKind.Number || !countElement.TryGetInt32(out int c) || c <= 0)
                throw Invalid(path, lines.LineOf($"{at}.count"), $"field `{at}.count` must be a whole number of questions greater than 0.");
            count = c;
        }

        GatedMetric? metric = null;
        if (suite.Value.TryGetProperty("metric", out var metricElement))
        {
            if (metricElement.ValueKind != JsonValueKind.String)
                throw Invalid(path, lines.LineOf($"{at}.metric"), $"field `{at}.metric` must be a string: greedy, avg@k, maj@k or pass@k.");
            double? temperature = null;
            if (suite.Value.TryGetProperty("temperature", out var temperatureElement))
            {
                if (temperatureElement.ValueKind != JsonValueKind.Number || !double.IsFinite(temperatureElement.GetDouble()))
                    throw Invalid(path, lines.LineOf($"{at}.temperature"), $"field `{at}.temperature` must be a number.");
                temperature = temperatureElement.GetDouble();
            }
            metric = GatedMetric.Parse(metricElement.GetString()!, temperature, out string error);
            if (metric is null)
                throw Invalid(path, lines.LineOf($"{at}.metric"), $"field `{at}.metric`: {error}");
        }
        else if (suite.Value.TryGetProperty("temperature", out _))
            throw Invalid(path, lines.LineOf($"{at}.temperature"), $"`{at}.temperature` is set without `metric`: say which metric it belongs to.");

        bool notWorse = false;
        if (suite.Value.TryGetProperty("not_worse_than_base", out var notWorseElement))
        {
            if (notWorseElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                throw Invalid(path, lines.LineOf($"{at}.not_worse_than_base"), $"field `{at}.not_worse_than_base` must be true or false.");
            notWorse = notWorseElement.GetBoolean();
        }
        double? minGain = Fraction(suite.Value, "min_gain", at, path, lines);

        bool pending = false;
        if (suite.Value.TryGetProperty("pending", out var pendingElement))
        {
            if (pendingElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                throw Invalid(path, lines.LineOf($"{at}.pending"), $"field `{at}.pending` must be true or false.");
            pending = pendingElement.GetBoolean();
        }

        if (pending && (min is not null || maxDrop is not null || golden is not null))
            throw Invalid(path, lines.LineOf($"{at}.pending"),
                $"`{at}` is pending but has numbers: once the thresholds are measured, remove `pending` (docs/gate.md, \"Pending thresholds\").");
        if (!pending && min is null && maxDrop is null && !notWorse && minGain is null)
            throw Invalid(path, line,
                $"`{at}` sets none of `min_accuracy`, `max_drop`, `not_worse_than_base`, `min_gain`: set at least one, or `\"pending\": true` until the model is measured.");
        if (!pending && metric is null)
            throw Invalid(path, line,
                $"`{at}` has no `metric`: say what is gated (\"greedy\", or \"avg@8\" with its \"temperature\"), so that the number is compared with what it was set from.");
        if (min is not null && golden is not null && golden < min)
            throw Invalid(path, lines.LineOf($"{at}.golden"),
                $"`{at}.golden` ({golden:0.###}) is below its own `min_accuracy` ({min:0.###}): the accepted result would fail the gate.");

        return new SuiteThreshold(suite.Name, min, maxDrop, golden, count, pending, line, metric, notWorse, minGain);
    }

    static double? Fraction(JsonElement suite, string name, string at, string path, JsonLineMap lines)
    {
        if (!suite.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null) return null;
        if (element.ValueKind != JsonValueKind.Number)
            throw Invalid(path, lines.LineOf($"{at}.{name}"), $"field `{at}.{name}` must be a number, found {EvaluationSummaryReader.Describe(element)}.");
        double value = element.GetDouble();
        if (!double.IsFinite(value) || value < 0 || value > 1)
            throw Invalid(path, lines.LineOf($"{at}.{name}"),
                $"field `{at}.{name}` is {element.GetRawText()}, expected a fraction in [0, 1] (write 0.726, not 72.6).");
        return value;
    }

    static string RequiredString(JsonElement root, string name, string path, JsonLineMap lines)
    {
        if (!root.TryGetProperty(name, out var element))
            throw Invalid(path, 1, $"field `{name}` is missing.");
        if (element.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(element.GetString()))
            throw Invalid(path, lines.LineOf(name), $"field `{name}` must be a non-empty string.");
        return element.GetString()!;
    }

    static RlscException Invalid(string path, int? line, string message) =>
        new(ErrorCodes.GateThresholdsInvalid, message, path, line);
}
