namespace Rlsc.Runtime.Demo.ArithmeticTask;

/// <summary>A person in a story: a name and the pronoun that starts a sentence about them.</summary>
public sealed record Person(string Name, string Pronoun);

/// <summary>A kind of word problem: its text with numbers drawn in ranges, and the chain of steps that solves it.</summary>
public sealed record StoryTemplate(string Name, Func<TaskRandom, (string Question, ArithmeticStep[] Steps)> Draw);

/// <summary>
/// The word problems of the arith task: eight stories of two or three steps (add, subtract, multiply) over
/// numbers below 100, in the shape of GSM8K's easiest problems. Every number of the question is used, in the
/// order of the steps; intermediate results stay positive. Ranges are chosen so that about half the additions
/// carry and half the subtractions borrow, which is where the noisy teacher's slips happen (<see cref="Slips"/>).
/// </summary>
public static class StoryTemplates
{
    static readonly Person[] People =
    [
        new("Ava", "She"), new("Ben", "He"), new("Chloe", "She"), new("Dan", "He"), new("Emma", "She"),
        new("Finn", "He"), new("Grace", "She"), new("Hugo", "He"), new("Iris", "She"), new("Jack", "He"),
        new("Kate", "She"), new("Leo", "He"), new("Mia", "She"), new("Noah", "He"), new("Olivia", "She"),
        new("Paul", "He"), new("Rosa", "She"), new("Sam", "He"), new("Tina", "She"), new("Omar", "He"),
    ];

    static readonly string[] Things =
    [
        "apples", "marbles", "stickers", "pencils", "cards", "books", "cookies", "shells", "stamps", "coins",
        "beads", "eggs", "flowers", "toys", "balloons", "candies", "buttons", "rocks",
    ];

    static readonly string[] Containers = ["boxes", "bags", "packs", "jars", "baskets", "crates"];

    static readonly string[] Places = ["shop", "bakery", "market", "library", "farm stand", "school fair"];

    static ArithmeticStep Step(Operand left, Operation op, Operand right) => new(left, op, right);
    static Given N(int n) => new(n);
    static Earlier R(int index) => new(index);

    /// <summary>Two different people.</summary>
    static (Person, Person) Two(TaskRandom random)
    {
        var first = random.Pick(People);
        Person second;
        do second = random.Pick(People); while (second == first);
        return (first, second);
    }

    public static IReadOnlyList<StoryTemplate> All { get; } =
    [
        // a + b - c
        new("buy_then_give", r =>
        {
            var (p, f) = Two(r);
            string t = r.Pick(Things);
            int a = r.Next(12, 59), b = r.Next(11, 39), c = r.Next(5, Math.Min(a + b - 1, 49));
            return ($"{p.Name} has {a} {t}. {p.Pronoun} buys {b} more {t} and gives {c} {t} to {f.Name}. How many {t} does {p.Name} have now?",
                [Step(N(a), Operation.Add, N(b)), Step(R(0), Operation.Subtract, N(c))]);
        }),
        // a * b - c
        new("boxes_then_give", r =>
        {
            var (p, f) = Two(r);
            string t = r.Pick(Things), box = r.Pick(Containers);
            int a = r.Next(2, 9), b = r.Next(3, 12), c = r.Next(2, a * b - 1);
            return ($"{p.Name} buys {a} {box} of {t} with {b} {t} in each. {p.Pronoun} gives {c} {t} to {f.Name}. How many {t} does {p.Name} keep?",
                [Step(N(a), Operation.Multiply, N(b)), Step(R(0), Operation.Subtract, N(c))]);
        }),
        // a - b - c
        new("sell_twice", r =>
        {
            string t = r.Pick(Things), place = r.Pick(Places);
            int a = r.Next(40, 99), b = r.Next(10, a / 2), c = r.Next(5, Math.Min(a - b - 1, 49));
            return ($"A {place} has {a} {t}. It sells {b} {t} in the morning and {c} {t} in the afternoon. How many {t} are left?",
                [Step(N(a), Operation.Subtract, N(b)), Step(R(0), Operation.Subtract, N(c))]);
        }),
        // a * b + c
        new("daily_then_more", r =>
        {
            var (p, _) = Two(r);
            string t = r.Pick(Things);
            int a = r.Next(3, 12), b = r.Next(2, 9), c = r.Next(11, 59);
            return ($"{p.Name} collects {a} {t} every day for {b} days. Then {p.Pronoun.ToLowerInvariant()} finds {c} more {t}. How many {t} does {p.Name} have in all?",
                [Step(N(a), Operation.Multiply, N(b)), Step(R(0), Operation.Add, N(c))]);
        }),
        // a + b * c - d (three steps)
        new("has_buys_packs_gives", r =>
        {
            var (p, f) = Two(r);
            string t = r.Pick(Things), box = r.Pick(Containers);
            int a = r.Next(11, 49), b = r.Next(2, 6), c = r.Next(3, 9), d = r.Next(5, Math.Min(a + b * c - 1, 49));
            return ($"{p.Name} has {a} {t}. {p.Pronoun} buys {b} {box} with {c} {t} in each and gives {d} {t} to {f.Name}. How many {t} does {p.Name} have now?",
                [Step(N(b), Operation.Multiply, N(c)), Step(N(a), Operation.Add, R(0)), Step(R(1), Operation.Subtract, N(d))]);
        }),
        // a + (a + b)
        new("more_than_together", r =>
        {
            var (p, f) = Two(r);
            string t = r.Pick(Things);
            int a = r.Next(12, 49), b = r.Next(5, 29);
            return ($"{p.Name} has {a} {t}. {f.Name} has {b} more {t} than {p.Name}. How many {t} do they have together?",
                [Step(N(a), Operation.Add, N(b)), Step(N(a), Operation.Add, R(0))]);
        }),
        // a * b - c (seats)
        new("rows_of_seats", r =>
        {
            string place = r.Pick(["hall", "classroom", "theater", "bus", "garden"]);
            int a = r.Next(3, 9), b = r.Next(4, 12), c = r.Next(5, a * b - 2);
            return ($"A {place} has {a} rows with {b} seats in each row. {c} seats are taken. How many seats are free?",
                [Step(N(a), Operation.Multiply, N(b)), Step(R(0), Operation.Subtract, N(c))]);
        }),
        // a - b + c - d (three steps)
        new("spend_earn_spend", r =>
        {
            var (p, _) = Two(r);
            int a = r.Next(30, 89), b = r.Next(11, a - 10), c = r.Next(12, 49), d = r.Next(5, Math.Min(a - b + c - 1, 49));
            return ($"{p.Name} has {a} dollars. {p.Pronoun} spends {b} dollars on lunch, earns {c} dollars, and then spends {d} dollars on a gift. How many dollars does {p.Name} have left?",
                [Step(N(a), Operation.Subtract, N(b)), Step(R(0), Operation.Add, N(c)), Step(R(1), Operation.Subtract, N(d))]);
        }),
    ];
}
