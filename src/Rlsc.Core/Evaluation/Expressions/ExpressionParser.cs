using Rlsc.Core.Evaluation.Grading;

namespace Rlsc.Core.Evaluation.Expressions;

/// <summary>
/// Recursive-descent parser from a normalised LaTeX answer to an <see cref="Expr"/>.
/// Precedence: + - &lt; * / \cdot \times and juxtaposition &lt; unary minus &lt; ^ (right-associative) &lt; postfix ! ' _.
/// Juxtaposition is multiplication ("2\pi r", "(a+5)(b+2)"), except that an integer followed by \frac of two integers
/// smaller than one is a mixed number ("137 \frac{1}{2}" = 137.5), as in the MATH dataset.
/// Functions take a parenthesised or braced argument, or else the juxtaposed factors that follow ("\sin 2x" = sin(2x)).
/// "\sin^{-1}" is arcsin; "\log_{b}" has base b; bare "\log" is the natural logarithm.
/// Anything it does not understand makes TryParse return false; recursion is bounded by the budget.
/// </summary>
public sealed class ExpressionParser
{
    static readonly HashSet<string> Functions =
    [
        "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
        "ln", "log", "exp", "lg",
    ];

    static readonly Dictionary<string, string> InverseTrig = new()
    {
        ["sin"] = "arcsin", ["cos"] = "arccos", ["tan"] = "arctan",
    };

    /// <summary>Commands that name a variable (Greek letters and the like).</summary>
    static readonly HashSet<string> SymbolCommands =
    [
        "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota", "kappa",
        "lambda", "mu", "nu", "xi", "rho", "varrho", "sigma", "varsigma", "tau", "upsilon", "phi", "varphi", "chi", "psi",
        "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Upsilon", "Phi", "Psi", "Omega", "hbar", "ell",
        "odot", "star", "partial", "aleph", "mho", "nabla", "prime", "oplus", "otimes",
    ];

    /// <summary>Decorations whose braced argument becomes part of a variable's name: \dot{x}, \hat{n}, \mathbf{v}.</summary>
    static readonly HashSet<string> Accents =
    [
        "dot", "ddot", "hat", "bar", "vec", "tilde", "overline", "widehat", "widetilde", "mathbf", "mathit", "mathcal",
        "boldsymbol", "mathbb", "bm", "check", "breve", "acute", "grave", "underline",
    ];

    static readonly HashSet<string> Sizing = ["left", "right", "bigl", "bigr", "Bigl", "Bigr", "big", "Big", "bigg", "Bigg", "biggl", "biggr", "displaystyle"];

    readonly string _source;
    readonly List<LatexToken> _tokens;
    readonly GradingBudget _budget;
    int _pos;
    int _absDepth;

    ExpressionParser(string source, List<LatexToken> tokens, GradingBudget budget)
    {
        _source = source;
        _tokens = tokens;
        _budget = budget;
    }

    /// <summary>Parses the whole text as one expression; false when it is not one. Throws only <see cref="GradingBudgetExceeded"/>.</summary>
    public static bool TryParse(string text, GradingBudget budget, out Expr expr)
    {
        expr = null!;
        if (!LatexTokenizer.TryTokenize(text, budget, out var tokens)) return false;
        var parser = new ExpressionParser(text, tokens, budget);
        try
        {
            parser.SkipSizing();
            if (parser.Peek.Kind == LatexTokenKind.End) return false;
            expr = parser.ParseExpression();
            parser.SkipSizing();
            // Long sums parse into deep trees; the evaluators recurse, so the depth is capped here.
            return parser.Peek.Kind == LatexTokenKind.End && DepthAtMost(expr, MaxTreeDepth);
        }
        catch (ParseFailure)
        {
            return false;
        }
    }

    sealed class ParseFailure : Exception;

    /// <summary>Deepest expression tree accepted (a sum of ~1000 terms); deeper ones are compared as text.</summary>
    public const int MaxTreeDepth = 1000;

    /// <summary>Iterative depth check, so that the check itself cannot overflow the stack.</summary>
    static bool DepthAtMost(Expr root, int limit)
    {
        var stack = new Stack<(Expr Node, int Depth)>();
        stack.Push((root, 1));
        while (stack.Count > 0)
        {
            var (node, depth) = stack.Pop();
            if (depth > limit) return false;
            switch (node)
            {
                case NegateExpr n: stack.Push((n.Operand, depth + 1)); break;
                case BinaryExpr b: stack.Push((b.Left, depth + 1)); stack.Push((b.Right, depth + 1)); break;
                case FunctionExpr f:
                    stack.Push((f.Argument, depth + 1));
                    if (f.Extra is not null) stack.Push((f.Extra, depth + 1));
                    break;
            }
        }
        return true;
    }

    LatexToken Peek => _tokens[_pos];
    LatexToken PeekAt(int offset) => _tokens[Math.Min(_pos + offset, _tokens.Count - 1)];
    LatexToken Next() { _budget.Step(); return _tokens[_pos < _tokens.Count - 1 ? _pos++ : _pos]; }
    static ParseFailure Fail() => new();

    void SkipSizing()
    {
        while (Peek.Kind == LatexTokenKind.Command && Sizing.Contains(Peek.Text)) Next();
    }

    void Expect(LatexTokenKind kind, string text)
    {
        SkipSizing();
        if (!Peek.Is(kind, text)) throw Fail();
        Next();
    }

    Expr ParseExpression()
    {
        _budget.Enter();
        try
        {
            SkipSizing();
            Expr left = ParseSigned();
            while (true)
            {
                SkipSizing();
                if (Peek.Is(LatexTokenKind.Symbol, "+")) { Next(); left = new BinaryExpr('+', left, ParseSigned()); }
                else if (Peek.Is(LatexTokenKind.Symbol, "-")) { Next(); left = new BinaryExpr('-', left, ParseSigned()); }
                else return left;
            }
        }
        finally { _budget.Exit(); }
    }

    /// <summary>A term, with any leading signs: "-x^2" is -(x^2), "-2x" is -(2x).</summary>
    Expr ParseSigned()
    {
        SkipSizing();
        if (Peek.Is(LatexTokenKind.Symbol, "-")) { Next(); return new NegateExpr(ParseSigned()); }
        if (Peek.Is(LatexTokenKind.Symbol, "+")) { Next(); return ParseSigned(); }
        return ParseTerm();
    }

    Expr ParseTerm()
    {
        Expr left = ParsePower();
        while (true)
        {
            SkipSizing();
            var t = Peek;
            if (t.Is(LatexTokenKind.Symbol, "*") || t.Kind == LatexTokenKind.Command && t.Text is "cdot" or "times" or "ast")
            {
                Next();
                left = new BinaryExpr('*', left, ParseFactorAfterOperator());
            }
            else if (t.Is(LatexTokenKind.Symbol, "/") || t.Is(LatexTokenKind.Command, "div"))
            {
                Next();
                left = new BinaryExpr('/', left, ParseFactorAfterOperator());
            }
            else if (TryPlainMixedNumber(left, out var mixed))
            {
                left = mixed;
            }
            else if (StartsFactor(t))
            {
                Expr right = ParsePower();
                left = IsMixedNumber(left, right, t) ? new BinaryExpr('+', left, right) : new BinaryExpr('*', left, right);
            }
            else return left;
        }
    }

    /// <summary>
    /// "4 4/9" written in plain text: an integer, a space, and a proper fraction of integers is a mixed number
    /// (4 + 4/9), as in the MATH dataset and Math-Verify. "11 6/6" or "4 4/0" look like one but are not (an improper
    /// or undefined fraction): they are refused rather than read as a product, which would make "11 6/6" equal 11.
    /// </summary>
    bool TryPlainMixedNumber(Expr left, out Expr mixed)
    {
        mixed = left;
        if (left is not NumberExpr { IsIntegerLiteral: true } || _pos == 0 || _tokens[_pos - 1].Kind != LatexTokenKind.Number) return false;
        LatexToken n = Peek, slash = PeekAt(1), d = PeekAt(2);
        if (n.Kind != LatexTokenKind.Number || !slash.Is(LatexTokenKind.Symbol, "/") || d.Kind != LatexTokenKind.Number) return false;
        if (n.Start == PreviousEnd() || !n.Text.All(char.IsAsciiDigit) || !d.Text.All(char.IsAsciiDigit)) return false;
        var numerator = MakeNumber(n.Text);
        var denominator = MakeNumber(d.Text);
        if (numerator.Exact is not { } a || denominator.Exact is not { } b || b.IsZero || (a - b).Sign >= 0) throw Fail();
        Next(); Next(); Next();
        if (Peek.Is(LatexTokenKind.Symbol, "^") || Peek.Is(LatexTokenKind.Symbol, "!")) throw Fail();
        mixed = new BinaryExpr('+', left, new BinaryExpr('/', numerator, denominator));
        return true;
    }

    /// <summary>After * or /, a factor may carry its own sign: "2 \cdot -3", "a / -b".</summary>
    Expr ParseFactorAfterOperator()
    {
        SkipSizing();
        if (Peek.Is(LatexTokenKind.Symbol, "-")) { Next(); return new NegateExpr(ParseFactorAfterOperator()); }
        if (Peek.Is(LatexTokenKind.Symbol, "+")) { Next(); return ParseFactorAfterOperator(); }
        return ParsePower();
    }

    static bool IsMixedNumber(Expr left, Expr right, LatexToken start) =>
        start.Is(LatexTokenKind.Command, "frac")
        && left is NumberExpr { IsIntegerLiteral: true }
        && right is BinaryExpr('/', NumberExpr { IsIntegerLiteral: true, Exact: { } n }, NumberExpr { IsIntegerLiteral: true, Exact: { } d })
        && n.Sign > 0 && (n - d).Sign < 0;

    bool StartsFactor(LatexToken t) => t.Kind switch
    {
        LatexTokenKind.Number or LatexTokenKind.Word => true,
        LatexTokenKind.Open => t.Text != "\\{",
        LatexTokenKind.Symbol => t.Text == "|" && _absDepth == 0,
        LatexTokenKind.Command => t.Text is not ("cdot" or "times" or "ast" or "div" or "rfloor" or "rceil" or "rvert" or "right" or "pm" or "mp"
            or "cup" or "cap" or "in" or "le" or "leq" or "ge" or "geq" or "lt" or "gt" or "neq" or "ne" or "approx" or "to"
            or "quad" or "qquad" or "cdots" or "ldots" or "dots" or "setminus" or "mid" or "end" or "begin" or "rangle"),
        _ => false,
    };

    Expr ParsePower()
    {
        Expr baseExpr = ParsePostfix();
        SkipSizing();
        if (!Peek.Is(LatexTokenKind.Symbol, "^")) return baseExpr;
        Next();
        return new BinaryExpr('^', baseExpr, ParseExponent());
    }

    /// <summary>The exponent after ^: a braced group, or one signed atom with its own exponent (right-associative).</summary>
    Expr ParseExponent()
    {
        _budget.Enter();
        try
        {
            SkipSizing();
            if (Peek.Is(LatexTokenKind.Symbol, "-")) { Next(); return new NegateExpr(ParseExponent()); }
            if (Peek.Is(LatexTokenKind.Symbol, "+")) { Next(); return ParseExponent(); }
            return ParsePower();
        }
        finally { _budget.Exit(); }
    }

    Expr ParsePostfix()
    {
        Expr e = ParsePrimary();
        while (true)
        {
            var t = Peek;
            if (e is VariableExpr named && IsApplication(t))
            {
                // "x(t)", "I(0)", "f(n)", "\theta(t)": a function of one named argument, not a product.
                Next();
                var argument = ParseExpression();
                Expect(LatexTokenKind.Close, ")");
                e = new FunctionExpr("apply:" + named.Name, argument);
                continue;
            }
            if (t.Is(LatexTokenKind.Symbol, "!")) { Next(); e = new FunctionExpr("factorial", e); }
            else if (t.Is(LatexTokenKind.Symbol, "'")) { Next(); e = e is VariableExpr v ? new VariableExpr(v.Name + "'") : throw Fail(); }
            else if (t.Is(LatexTokenKind.Symbol, "_"))
            {
                Next();
                string sub = ReadRawArgument();
                e = e switch
                {
                    VariableExpr v => new VariableExpr(v.Name + "_" + sub),
                    // 4210_{5}: a numeral in another base stays an opaque name, equal only to itself.
                    NumberExpr => new VariableExpr(_lastNumberText + "_" + sub),
                    ConstantExpr { Constant: MathConstant.E } => new VariableExpr("e_" + sub),
                    ConstantExpr { Constant: MathConstant.I } => new VariableExpr("i_" + sub),
                    _ => throw Fail(),
                };
            }
            else return e;
        }
    }

    /// <summary>
    /// A variable directly followed by "(" and one variable or number and ")" is a function application: "x(t)" is
    /// the function x at t, "I(0)" a value of I. "n(n+1)" and "a(b+c)" stay products.
    /// </summary>
    bool IsApplication(LatexToken open)
    {
        if (!open.Is(LatexTokenKind.Open, "(") || open.Start != PreviousEnd()) return false;
        var inner = PeekAt(1);
        bool single = inner.Kind == LatexTokenKind.Number || (inner.Kind == LatexTokenKind.Word && inner.Text.Length == 1)
            || (inner.Kind == LatexTokenKind.Command && SymbolCommands.Contains(inner.Text));
        return single && PeekAt(2).Is(LatexTokenKind.Close, ")");
    }

    int PreviousEnd() => _pos == 0 ? -1 : _tokens[_pos - 1].Start + _tokens[_pos - 1].Length;

    /// <summary>The text of the last number literal parsed, for numerals with a base subscript.</summary>
    string _lastNumberText = "";

    Expr ParsePrimary()
    {
        _budget.Enter();
        try
        {
            SkipSizing();
            var t = Next();
            switch (t.Kind)
            {
                case LatexTokenKind.Number:
                    _lastNumberText = t.Text;
                    return MakeNumber(t.Text);
                case LatexTokenKind.Word:
                    return t.Text switch
                    {
                        "pi" => new ConstantExpr(MathConstant.Pi),
                        "infty" or "inf" or "infinity" => new ConstantExpr(MathConstant.Infinity),
                        "e" => new ConstantExpr(MathConstant.E),
                        "i" => new ConstantExpr(MathConstant.I),
                        "sqrt" => ParseRoot(),
                        _ when Functions.Contains(t.Text) => ParseFunction(t.Text),
                        _ when t.Text.Length == 1 || LatexTokenizer.IsName(t.Text) => new VariableExpr(t.Text),
                        _ => throw Fail(),
                    };
                case LatexTokenKind.Command:
                    return ParseCommand(t.Text);
                case LatexTokenKind.Open when t.Text == "(":
                    { var e = ParseExpression(); Expect(LatexTokenKind.Close, ")"); return e; }
                case LatexTokenKind.Open when t.Text == "[":
                    { var e = ParseExpression(); Expect(LatexTokenKind.Close, "]"); return e; }
                case LatexTokenKind.Open when t.Text == "{":
                    { var e = ParseExpression(); Expect(LatexTokenKind.Close, "}"); return e; }
                case LatexTokenKind.Symbol when t.Text == "|" && _absDepth == 0:
                    {
                        _absDepth++;
                        var e = ParseExpression();
                        _absDepth--;
                        Expect(LatexTokenKind.Symbol, "|");
                        return new FunctionExpr("abs", e);
                    }
                default:
                    throw Fail();
            }
        }
        finally { _budget.Exit(); }
    }

    /// <summary>Longest literal kept exact: parsing a million digits into a BigInteger is quadratic and unbudgeted.</summary>
    const int MaxExactDigits = 20_000;

    static NumberExpr MakeNumber(string text)
    {
        bool integer = text.All(char.IsAsciiDigit);
        if (text.Length > MaxExactDigits) return new NumberExpr(null, double.PositiveInfinity, false);
        if (Rational.TryParseDecimal(text, 5000, out var exact))
            return new NumberExpr(exact, exact.ToDouble(), integer);
        double value = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        return new NumberExpr(null, value, false);
    }

    Expr ParseCommand(string name)
    {
        switch (name)
        {
            case "frac" or "dfrac" or "tfrac" or "cfrac":
                {
                    var numerator = ParseArgument();
                    var denominator = ParseArgument();
                    return new BinaryExpr('/', numerator, denominator);
                }
            case "sqrt":
                return ParseRoot();
            case "binom" or "dbinom" or "tbinom":
                {
                    var n = ParseArgument();
                    var k = ParseArgument();
                    return new FunctionExpr("binom", n, k);
                }
            case "pi":
                return new ConstantExpr(MathConstant.Pi);
            case "infty" or "infinity":
                return new ConstantExpr(MathConstant.Infinity);
            case "lfloor":
                { var e = ParseExpression(); Expect(LatexTokenKind.Command, "rfloor"); return new FunctionExpr("floor", e); }
            case "lceil":
                { var e = ParseExpression(); Expect(LatexTokenKind.Command, "rceil"); return new FunctionExpr("ceil", e); }
            case "lvert" or "vert":
                {
                    var e = ParseExpression();
                    SkipSizing();
                    if (!(Peek.Is(LatexTokenKind.Command, "rvert") || Peek.Is(LatexTokenKind.Command, "vert"))) throw Fail();
                    Next();
                    return new FunctionExpr("abs", e);
                }
            case "operatorname":
                {
                    string word = ReadRawArgument();
                    if (Functions.Contains(word)) return ParseFunction(word);
                    return new VariableExpr("\\operatorname{" + word + "}");
                }
            case "exp":
                return ParseFunction("exp");
            case "arcsec" or "arccsc" or "arccot":
                return ParseFunction(name);
        }
        if (Functions.Contains(name)) return ParseFunction(name);
        if (Accents.Contains(name)) return new VariableExpr("\\" + name + "{" + ReadRawArgument() + "}");
        if (SymbolCommands.Contains(name)) return new VariableExpr("\\" + name);
        throw Fail();
    }

    /// <summary>\sqrt{x} or \sqrt[n]{x}.</summary>
    Expr ParseRoot()
    {
        if (Peek.Is(LatexTokenKind.Open, "["))
        {
            Next();
            var index = ParseExpression();
            Expect(LatexTokenKind.Close, "]");
            return new FunctionExpr("root", ParseArgument(), index);
        }
        return new FunctionExpr("sqrt", ParseArgument());
    }

    /// <summary>The argument of \frac, \sqrt, \binom: a braced group, else a single primary (normalisation braces "\frac34").</summary>
    Expr ParseArgument()
    {
        SkipSizing();
        if (Peek.Is(LatexTokenKind.Open, "{"))
        {
            Next();
            var e = ParseExpression();
            Expect(LatexTokenKind.Close, "}");
            return e;
        }
        return ParsePostfix();
    }

    /// <summary>sin, ln, log_b, with an optional power (\sin^2 x; \sin^{-1} x is arcsin x) and an argument.</summary>
    Expr ParseFunction(string name)
    {
        if (name == "lg") name = "log10";
        Expr? power = null, logBase = null;
        for (int guard = 0; guard < 2; guard++)
        {
            SkipSizing();
            if (Peek.Is(LatexTokenKind.Symbol, "^") && power is null) { Next(); power = ParseExponent(); }
            else if (Peek.Is(LatexTokenKind.Symbol, "_") && name == "log" && logBase is null) { Next(); logBase = ParseArgument(); }
        }
        if (power is NegateExpr { Operand: NumberExpr { Exact: { IsInteger: true } one } } && one == Rational.FromInteger(1)
            && InverseTrig.TryGetValue(name, out var inverse))
        {
            name = inverse;
            power = null;
        }
        Expr argument = ParseFunctionArgument();
        Expr applied = logBase is not null ? new FunctionExpr("log", argument, logBase) : new FunctionExpr(name, argument);
        return power is null ? applied : new BinaryExpr('^', applied, power);
    }

    Expr ParseFunctionArgument()
    {
        SkipSizing();
        var t = Peek;
        if (t.Is(LatexTokenKind.Open, "(") || t.Is(LatexTokenKind.Open, "{") || t.Is(LatexTokenKind.Open, "["))
            return ParsePostfix();
        if (t.Is(LatexTokenKind.Symbol, "-")) { Next(); return new NegateExpr(ParseFunctionArgument()); }
        if (!StartsFactor(t)) throw Fail();
        // "\sin 2x" is sin(2x); the argument stops at an operator or at the next function ("\sin x \cos y").
        Expr argument = ParsePower();
        while (StartsFactor(Peek) && !StartsFunction(Peek)) argument = new BinaryExpr('*', argument, ParsePower());
        return argument;
    }

    static bool StartsFunction(LatexToken t) =>
        (t.Kind == LatexTokenKind.Command || t.Kind == LatexTokenKind.Word) && (Functions.Contains(t.Text) || t.Text is "exp" or "sqrt");

    /// <summary>The raw text of a subscript or accent argument: a braced group (spaces removed) or one token.</summary>
    string ReadRawArgument()
    {
        SkipSizing();
        var t = Next();
        if (t.Is(LatexTokenKind.Open, "{"))
        {
            int depth = 1, start = t.Start + 1;
            while (true)
            {
                var u = Next();
                if (u.Kind == LatexTokenKind.End) throw Fail();
                if (u.Kind == LatexTokenKind.Open && u.Text == "{") depth++;
                else if (u.Kind == LatexTokenKind.Close && u.Text == "}" && --depth == 0)
                    return string.Concat(_source.AsSpan(start, u.Start - start).ToString().Where(c => !char.IsWhiteSpace(c)));
            }
        }
        if (t.Kind is LatexTokenKind.Number or LatexTokenKind.Word) return t.Text;
        if (t.Kind == LatexTokenKind.Command) return "\\" + t.Text;
        throw Fail();
    }
}
