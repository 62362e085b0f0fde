using System.Text.Json;

namespace Rlsc.Core.Gate;

/// <summary>
/// Reads and validates thresholds files. Every problem is an RLSC087 that names the file, the line and the
/// field, and unknown fields are errors, so that a typo (`min_acuracy`) can never silently switch a check off.
/// </summary>
public static class ThresholdsLoader
{
    public const string Schema = "rlsc.gate.thresholds/v1";

    static readonly HashSet<string> TopLevelFields = ["$schema", "schema", "model_key", "models", "description", "source", "suites"];
    static readonly HashSet<string> SuiteFields = ["min_accuracy", "max_drop", "golden", "count", "pending", "note"];

    public static ModelThresholds Load(string path)
    {
        if (!File.Exists(path))
            throw new RlscException(ErrorCodes.GateThresholdsInvalid,
                "the thresholds file does not exist: pass an existing --thresholds file or a --model-key from eval-suites/thresholds.", file: path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RlscException(ErrorCodes.GateThresholdsInvalid, $"the thresholds file cannot be read: {e.Message}", file: path, inner: e);
        }
        return Parse(bytes, path);
    }

    public static ModelThresholds Parse(byte[] bytes, string path)
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

            if (!root.TryGetProperty("suites", out var suitesElement) || suitesElement.ValueKind != JsonValueKind.Object)
                throw Invalid(path, lines.LineOf("suites") ?? 1, "field `suites` is missing or not an object of suite name -> thresholds.");
            var suites = new Dictionary<string, SuiteThreshold>(StringComparer.Ordinal);
            foreach (var suite in suitesElement.EnumerateObject())
                suites[suite.Name] = ParseSuite(suite, path, lines);
            if (suites.Count == 0)
                throw Invalid(path, lines.LineOf("suites"), "field `suites` is empty: a gate with no suites would pass anything.");

            return new ModelThresholds(path, modelKey, models, suites);
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
        if (!pending && min is null && maxDrop is null)
            throw Invalid(path, line,
                $"`{at}` sets neither `min_accuracy` nor `max_drop`: set at least one, or `\"pending\": true` until the model is measured.");
        if (min is not null && golden is not null && golden < min)
            throw Invalid(path, lines.LineOf($"{at}.golden"),
                $"`{at}.golden` ({golden:0.###}) is below its own `min_accuracy` ({min:0.###}): the accepted result would fail the gate.");

        return new SuiteThreshold(suite.Name, min, maxDrop, golden, count, pending, line);
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
