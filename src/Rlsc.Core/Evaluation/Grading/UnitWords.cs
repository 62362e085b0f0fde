namespace Rlsc.Core.Evaluation.Grading;

/// <summary>
/// Words that name a unit. After a number they are dropped ("5.4 \text{ cents}", "15 cm^2", "8 min"), because the
/// answer is the number. Single letters ("m", "s") are not in the list: they are as often variables as units.
/// </summary>
public static class UnitWords
{
    public static readonly HashSet<string> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        "mm", "cm", "km", "meter", "meters", "metre", "metres", "inch", "inches", "foot", "feet", "ft", "yard", "yards",
        "mile", "miles", "mi", "mph", "kph", "km/h", "m/s", "cm^2", "m^2", "sq",
        "square", "cubic", "units", "unit", "sq.",
        "second", "seconds", "sec", "minute", "minutes", "min", "mins", "hour", "hours", "hr", "hrs", "day", "days",
        "week", "weeks", "month", "months", "year", "years",
        "dollar", "dollars", "cent", "cents", "euro", "euros", "pound", "pounds", "lb", "lbs", "ounce", "ounces", "oz",
        "gram", "grams", "kg", "kilogram", "kilograms", "mg", "liter", "liters", "litre", "litres", "ml", "gallon", "gallons",
        "cup", "cups", "quart", "quarts", "pint", "pints", "ton", "tons", "tonne", "tonnes",
        "degree", "degrees", "radian", "radians", "rad", "percent", "pct", "percentage", "point", "points",
        "people", "persons", "students", "times", "ways", "apples", "marbles", "pieces", "items", "books", "pages",
        "eggs", "cookies", "candies", "boxes", "bags", "cars", "trees", "balls", "coins", "tickets", "games",
        "km/hr", "mi/h", "mi/hr", "ft/s", "m/min", "kmh",
    };

    /// <summary>Words that mark degrees: dropping them sets the answer's degree flag.</summary>
    public static bool IsDegreeWord(string word) => word.Equals("degree", StringComparison.OrdinalIgnoreCase) || word.Equals("degrees", StringComparison.OrdinalIgnoreCase);

    /// <summary>Words that mean %: dropping them sets the answer's percent flag ("28 percent", "28 pct").</summary>
    public static bool IsPercentWord(string word) => word.Equals("percent", StringComparison.OrdinalIgnoreCase)
        || word.Equals("pct", StringComparison.OrdinalIgnoreCase) || word.Equals("percentage", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when every word of <paramref name="text"/> (split on spaces, '/', '^n', '.') is a unit word or a power.</summary>
    public static bool IsUnitPhrase(string text)
    {
        var words = text.Replace("~", " ").Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return false;
        foreach (string raw in words)
        {
            string w = raw.TrimEnd('.', ',');
            int caret = w.IndexOf('^');
            if (caret > 0) w = w[..caret];
            if (w.Length == 0) continue;
            if (Words.Contains(w)) continue;
            // per-unit compounds such as "km/h", "m/s^2", "miles/hour"
            if (w.Contains('/') && w.Split('/').All(p => p.Length == 0 || Words.Contains(p) || p.Length <= 2 && p.All(char.IsAsciiLetter))) continue;
            return false;
        }
        return true;
    }
}
