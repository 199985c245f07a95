using Lucene.Net.Tartarus.Snowball;
using VectLite.Text.Analysis;

namespace VectLite.Tests.Text;

/// <summary>
/// The non-English Snowball stemmers, each held equal to the stemmer Snowball generates from the same algorithm (the one
/// Lucene.Net ships, an independent implementation) on a generated vocabulary of about 20,000 words: random letter
/// strings from the language's alphabet, accented letters included, and real-looking stems followed by one to three of
/// the suffixes the algorithm's steps remove, so every rule fires; plus published examples.
/// </summary>
public sealed class SnowballStemmerTests
{
    private const int RandomWords = 10_000;
    private const int SuffixedWords = 10_000;

    /// <summary>Compares <paramref name="ours"/> with <paramref name="snowball"/> on the vocabulary; returns how many differ, with examples.</summary>
    private static void AssertAgrees(SnowballProgram snowball, Func<string, string> ours, string consonants, string vowels, string[] stems, string[] suffixes, int seed)
    {
        var random = new Random(seed); // seeded: the same vocabulary every run, so a failure reproduces
        var words = new List<string>(RandomWords + SuffixedWords);
        var letter = new System.Text.StringBuilder();
        for (int i = 0; i < RandomWords; i++)
        {
            letter.Clear();
            int length = random.Next(1, 15);
            for (int j = 0; j < length; j++)
            {
                // Vowels about as often as consonants, so words have regions (R1, R2) to strip suffixes from.
                string from = random.Next(2) == 0 ? vowels : consonants;
                letter.Append(from[random.Next(from.Length)]);
            }
            words.Add(letter.ToString());
        }
        for (int i = 0; i < SuffixedWords; i++)
        {
            letter.Clear();
            letter.Append(stems[random.Next(stems.Length)]);
            if (random.Next(4) == 0)
            {
                letter.Append(vowels[random.Next(vowels.Length)]).Append(consonants[random.Next(consonants.Length)]);
            }
            int count = random.Next(1, 4);
            for (int j = 0; j < count; j++)
            {
                letter.Append(suffixes[random.Next(suffixes.Length)]);
            }
            words.Add(letter.ToString());
        }

        var failures = new List<string>();
        int changed = 0;
        foreach (string word in words)
        {
            snowball.SetCurrent(word);
            snowball.Stem();
            string expected = snowball.Current;
            string actual = ours(word);
            if (expected != word)
            {
                changed++;
            }
            if (expected != actual && failures.Count < 20)
            {
                failures.Add($"{word}: snowball {expected}, ours {actual}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // The vocabulary must exercise the stemmer: most generated words lose a suffix.
        Assert.True(changed > words.Count / 3, $"only {changed} of {words.Count} words were changed by the stemmer");
    }

    private static string Snowball(SnowballProgram snowball, string word)
    {
        snowball.SetCurrent(word);
        snowball.Stem();
        return snowball.Current;
    }

    // ---- German ----

    private static readonly string[] GermanStems =
    [
        "haus", "häus", "kind", "frau", "mann", "schön", "groß", "straß", "zeit", "arbeit", "freund", "lauf", "läuf",
        "geb", "sprech", "mög", "fröh", "glück", "wirt", "bau", "neu", "treu", "bayer", "feuer", "heil", "wahr", "lang",
        "fahr", "ruhm", "aufeinanderfolg", "kenn", "bild", "erfahr", "wiss", "mensch", "herr", "land", "spiel", "trag",
        "ab", "ur", "zu", "bet", "kür", "ös", "ufer", "ei", "ende", "genug", "selig", "ehrlich", "möglich", "abend",
    ];

    private static readonly string[] GermanSuffixes =
    [
        "e", "em", "en", "ern", "er", "es", "s", "est", "st", "end", "ung", "ig", "ik", "isch", "lich", "heit", "keit",
        "ig", "lich", "erlich", "enheit", "igkeit", "lichkeit", "igend", "igung", "nis", "t", "et", "ens",
    ];

    [Fact]
    public void German_agrees_with_snowballs_generated_stemmer_on_a_generated_vocabulary() =>
        AssertAgrees(new Lucene.Net.Tartarus.Snowball.Ext.GermanStemmer(), GermanStemmer.Stem,
            "bcdfghjklmnpqrstvwxzß", "aeiouyäöü", GermanStems, GermanSuffixes, seed: 4901);

    // Published examples (snowballstem.org, German stemmer, sample vocabulary and output).
    [Theory]
    [InlineData("aufeinanderfolgenden", "aufeinanderfolg")]
    [InlineData("aufeinanderfolgte", "aufeinanderfolgt")]
    [InlineData("aufeinanderschlügen", "aufeinanderschlug")]
    [InlineData("aufenthalt", "aufenthalt")]
    [InlineData("aufenthaltsort", "aufenthaltsort")]
    [InlineData("kategorie", "kategori")]
    [InlineData("käuflich", "kauflich")]
    [InlineData("kaufmann", "kaufmann")]
    [InlineData("kaufmännische", "kaufmann")]
    [InlineData("kaum", "kaum")]
    [InlineData("häuser", "haus")]
    [InlineData("straße", "strass")]
    public void German_gives_the_published_stems(string word, string stem)
    {
        Assert.Equal(stem, Snowball(new Lucene.Net.Tartarus.Snowball.Ext.GermanStemmer(), word)); // the example holds for Snowball itself
        Assert.Equal(stem, GermanStemmer.Stem(word));
    }

    // ---- French ----

    private static readonly string[] FrenchStems =
    [
        "continu", "majest", "nation", "général", "beau", "chev", "heur", "fin", "aim", "fin", "part", "parl", "coll",
        "tap", "envo", "pay", "quel", "cré", "emploi", "ennu", "jou", "roy", "trah", "ém", "ach", "gu", "aigu", "ambigu",
        "cru", "fl", "grand", "éléphant", "œuvr", "français", "sa", "ai", "oi", "abîm", "pouv", "véri", "créat", "sens",
        "product", "imag", "mouv", "acti", "prud", "évid", "fréquent", "passion", "opér", "pi", "chrétien", "bon", "col", "par", "tap", "p", "c",
    ];

    private static readonly string[] FrenchSuffixes =
    [
        "ance", "iqUe", "ique", "isme", "able", "iste", "eux", "ances", "iques", "ismes", "ables", "istes", "atrice",
        "ateur", "ation", "atrices", "ateurs", "ations", "logie", "logies", "usion", "ution", "usions", "utions", "ence",
        "ences", "ement", "ements", "ité", "ités", "if", "ive", "ifs", "ives", "eaux", "aux", "euse", "euses", "issement",
        "issements", "amment", "emment", "ment", "ments", "ic", "abil", "iv", "at", "eus", "abl", "ièr", "îmes", "ît",
        "îtes", "i", "ie", "ies", "ir", "ira", "irai", "iraient", "irais", "irait", "iras", "irent", "irez", "iriez",
        "irions", "irons", "iront", "is", "issaient", "issais", "issait", "issant", "issante", "issantes", "issants",
        "isse", "issent", "isses", "issez", "issiez", "issions", "issons", "it", "ions", "é", "ée", "ées", "és", "èrent",
        "er", "era", "erai", "eraient", "erais", "erait", "eras", "erez", "eriez", "erions", "erons", "eront", "ez",
        "iez", "âmes", "ât", "âtes", "a", "ai", "aient", "ais", "ait", "ant", "ante", "antes", "ants", "as", "asse",
        "assent", "asses", "assiez", "assions", "s", "ion", "sion", "tion", "ier", "ière", "e", "ë", "guë", "enne",
        "onne", "ette", "elle", "eille", "ç", "y", "ye", "qu", "èt", "éd", "es",
    ];

    [Fact]
    public void French_agrees_with_snowballs_generated_stemmer_on_a_generated_vocabulary() =>
        AssertAgrees(new Lucene.Net.Tartarus.Snowball.Ext.FrenchStemmer(), FrenchStemmer.Stem,
            "bcdfghjklmnpqrstvwxzçœ", "aeiouyâàëéêèïîôûù", FrenchStems, FrenchSuffixes, seed: 4902);

    // Published examples (snowballstem.org, French stemmer, sample vocabulary and output).
    [Theory]
    [InlineData("continu", "continu")]
    [InlineData("continua", "continu")]
    [InlineData("continuait", "continu")]
    [InlineData("continuant", "continu")]
    [InlineData("continuation", "continu")]
    [InlineData("continue", "continu")]
    [InlineData("continué", "continu")]
    [InlineData("continuel", "continuel")]
    [InlineData("continuelle", "continuel")]
    [InlineData("continuellement", "continuel")]
    [InlineData("continuer", "continu")]
    [InlineData("continuité", "continu")]
    [InlineData("majestueusement", "majestu")]
    [InlineData("majesté", "majest")]
    [InlineData("majestueuse", "majestu")]
    [InlineData("majestueux", "majestu")]
    public void French_gives_the_published_stems(string word, string stem)
    {
        Assert.Equal(stem, Snowball(new Lucene.Net.Tartarus.Snowball.Ext.FrenchStemmer(), word));
        Assert.Equal(stem, FrenchStemmer.Stem(word));
    }
    // ---- Spanish ----

    private static readonly string[] SpanishStems =
    [
        "tor", "chiquit", "cant", "com", "viv", "habl", "nacion", "general", "feliz", "product", "sigu", "averigu", "arg",
        "constru", "hu", "ley", "oy", "trabaj", "ciud", "an", "ab", "ai", "oi", "eu", "canción", "niñ", "pingü", "corr",
        "escrib", "decid", "abr", "pon", "ten", "hac", "dij", "pens", "llam", "mañan", "rápid", "públic", "ingl", "cre",
        "le", "ca", "distribu", "contribu", "destru", "g", "gu", "amig", "alegr", "ciudad", "posib", "lógic", "educ",
    ];

    private static readonly string[] SpanishSuffixes =
    [
        "me", "se", "sela", "selo", "selas", "selos", "la", "le", "lo", "las", "les", "los", "nos", "iéndo", "ándo", "ár",
        "ér", "ír", "ando", "iendo", "ar", "er", "ir", "yendo", "anza", "anzas", "ico", "ica", "icos", "icas", "ismo",
        "ismos", "able", "ables", "ible", "ibles", "ista", "istas", "oso", "osa", "osos", "osas", "amiento", "amientos",
        "imiento", "imientos", "adora", "ador", "ación", "adoras", "adores", "aciones", "ante", "antes", "ancia", "ancias",
        "logía", "logías", "ución", "uciones", "encia", "encias", "amente", "mente", "idad", "idades", "iva", "ivo",
        "ivas", "ivos", "ic", "at", "iv", "os", "ad", "abil", "ya", "ye", "yan", "yen", "yeron", "yo", "yó", "yas", "yes",
        "yais", "yamos", "en", "es", "éis", "emos", "arían", "arías", "arán", "arás", "aríais", "aría", "aréis",
        "aríamos", "aremos", "ará", "aré", "erían", "erías", "erán", "erás", "eríais", "ería", "eréis", "eríamos",
        "eremos", "erá", "eré", "irían", "irías", "irán", "irás", "iríais", "iría", "iréis", "iríamos", "iremos", "irá",
        "iré", "aba", "ada", "ida", "ía", "ara", "iera", "ad", "ed", "id", "ase", "iese", "aste", "iste", "an", "aban",
        "ían", "aran", "ieran", "asen", "iesen", "aron", "ieron", "ado", "ido", "ió", "as", "abas", "adas", "idas", "ías",
        "aras", "ieras", "ases", "ieses", "ís", "áis", "abais", "íais", "arais", "ierais", "aseis", "ieseis", "asteis",
        "isteis", "ados", "idos", "amos", "ábamos", "íamos", "imos", "áramos", "iéramos", "iésemos", "ásemos", "a", "o",
        "á", "í", "ó", "e", "é", "ue", "ué", "gue", "ú", "ü",
    ];

    [Fact]
    public void Spanish_agrees_with_snowballs_generated_stemmer_on_a_generated_vocabulary() =>
        AssertAgrees(new Lucene.Net.Tartarus.Snowball.Ext.SpanishStemmer(), SpanishStemmer.Stem,
            "bcdfghjklmnñpqrstvwxyz", "aeiouáéíóúü", SpanishStems, SpanishSuffixes, seed: 4903);

    // Published examples (snowballstem.org, Spanish stemmer, sample vocabulary and output).
    [Theory]
    [InlineData("chica", "chic")]
    [InlineData("chicharrón", "chicharron")]
    [InlineData("chico", "chic")]
    [InlineData("chiquillos", "chiquill")]
    [InlineData("chiquitito", "chiquitit")]
    [InlineData("torear", "tor")]
    [InlineData("toreara", "tor")]
    [InlineData("torearlo", "tor")]
    [InlineData("toreándolo", "tor")]
    [InlineData("torero", "torer")]
    [InlineData("torrencial", "torrencial")]
    public void Spanish_gives_the_published_stems(string word, string stem)
    {
        Assert.Equal(stem, Snowball(new Lucene.Net.Tartarus.Snowball.Ext.SpanishStemmer(), word));
        Assert.Equal(stem, SpanishStemmer.Stem(word));
    }

    // ---- Italian ----

    private static readonly string[] ItalianStems =
    [
        "abbandon", "abbass", "pronunc", "pronunz", "propag", "parl", "cant", "dorm", "fin", "ved", "legg", "scriv", "cap",
        "nazion", "general", "felic", "possib", "amic", "ban", "buo", "qu", "acqu", "aiut", "gioi", "noi", "mai", "cuo",
        "città", "libert", "attiv", "ric", "bianc", "lung", "lag", "fuoc", "pa", "io", "tu", "a", "e", "sc", "gl", "dic",
        "port", "and", "prend", "mett", "sent", "cred", "pens", "organizz", "comunic", "rapid", "facil", "stor", "log",
    ];

    private static readonly string[] ItalianSuffixes =
    [
        "ci", "gli", "la", "le", "li", "lo", "mi", "ne", "si", "ti", "vi", "sene", "gliela", "gliele", "glieli", "glielo",
        "gliene", "mela", "mele", "meli", "melo", "mene", "tela", "tele", "teli", "telo", "tene", "cela", "cele", "celi",
        "celo", "cene", "vela", "vele", "veli", "velo", "vene", "ando", "endo", "ar", "er", "ir", "anza", "anze", "ico",
        "ici", "ica", "ice", "iche", "ichi", "ismo", "ismi", "abile", "abili", "ibile", "ibili", "ista", "iste", "isti",
        "istà", "istè", "istì", "oso", "osi", "osa", "ose", "mente", "atrice", "atrici", "ante", "anti", "azione",
        "azioni", "atore", "atori", "logia", "logie", "uzione", "uzioni", "usione", "usioni", "enza", "enze", "amento",
        "amenti", "imento", "imenti", "amente", "ità", "ivo", "ivi", "iva", "ive", "ic", "abil", "iv", "os", "at",
        "ammo", "ano", "are", "arono", "asse", "assero", "assi", "assimo", "ata", "ate", "ati", "ato", "ava", "avamo",
        "avano", "avate", "avi", "avo", "emmo", "enda", "ende", "endi", "erà", "erai", "eranno", "ere", "erebbe",
        "erebbero", "erei", "eremmo", "eremo", "ereste", "eresti", "erete", "erò", "erono", "essero", "ete", "eva",
        "evamo", "evano", "evate", "evi", "evo", "iamo", "immo", "irà", "irai", "iranno", "ire", "irebbe", "irebbero",
        "irei", "iremmo", "iremo", "ireste", "iresti", "irete", "irò", "irono", "isca", "iscano", "isce", "isci", "isco",
        "iscono", "issero", "ita", "ite", "iti", "ito", "ivamo", "ivano", "ivate", "a", "e", "i", "o", "à", "è", "ì",
        "ò", "á", "é", "í", "ó", "ú", "ch", "gh", "ia", "io", "ie", "ui", "uo", "qu", "h",
    ];

    [Fact]
    public void Italian_agrees_with_snowballs_generated_stemmer_on_a_generated_vocabulary() =>
        AssertAgrees(new Lucene.Net.Tartarus.Snowball.Ext.ItalianStemmer(), ItalianStemmer.Stem,
            "bcdfghlmnpqrstvzjkwxy", "aeiouàèìòùáéíóú", ItalianStems, ItalianSuffixes, seed: 4904);

    // Published examples (snowballstem.org, Italian stemmer, sample vocabulary and output).
    [Theory]
    [InlineData("abbandonata", "abbandon")]
    [InlineData("abbandonate", "abbandon")]
    [InlineData("abbandonati", "abbandon")]
    [InlineData("abbandonato", "abbandon")]
    [InlineData("abbandonava", "abbandon")]
    [InlineData("abbandonerà", "abbandon")]
    [InlineData("abbandoneranno", "abbandon")]
    [InlineData("abbandonerò", "abbandon")]
    [InlineData("abbandono", "abband")]
    [InlineData("abbandonò", "abbandon")]
    [InlineData("abbaruffato", "abbaruff")]
    [InlineData("abbassamento", "abbass")]
    [InlineData("abbassando", "abbass")]
    [InlineData("abbassandola", "abbass")]
    [InlineData("abbassandole", "abbass")]
    [InlineData("abbassar", "abbass")]
    [InlineData("abbassare", "abbass")]
    [InlineData("abbassarono", "abbass")]
    [InlineData("abbassarsi", "abbass")]
    [InlineData("abbassassero", "abbass")]
    [InlineData("abbassato", "abbass")]
    [InlineData("abbassava", "abbass")]
    [InlineData("abbassi", "abbass")]
    [InlineData("abbassò", "abbass")]
    [InlineData("abbastanza", "abbast")]
    [InlineData("abbattere", "abbatt")]
    [InlineData("pronto", "pront")]
    [InlineData("pronuncia", "pronunc")]
    [InlineData("pronunciando", "pronunc")]
    [InlineData("pronunciare", "pronunc")]
    [InlineData("pronunciarle", "pronunc")]
    [InlineData("pronunciato", "pronunc")]
    [InlineData("pronunzia", "pronunz")]
    [InlineData("pronunziano", "pronunz")]
    [InlineData("pronunziare", "pronunz")]
    [InlineData("pronunziarle", "pronunz")]
    [InlineData("pronunziato", "pronunz")]
    [InlineData("pronunzio", "pronunz")]
    [InlineData("pronunziò", "pronunz")]
    [InlineData("propaga", "propag")]
    [InlineData("propagamento", "propag")]
    public void Italian_gives_the_published_stems(string word, string stem)
    {
        Assert.Equal(stem, Snowball(new Lucene.Net.Tartarus.Snowball.Ext.ItalianStemmer(), word));
        Assert.Equal(stem, ItalianStemmer.Stem(word));
    }

    // ---- Portuguese ----

    private static readonly string[] PortugueseStems =
    [
        "bob", "boc", "boat", "quiet", "quil", "quint", "quinz", "nacion", "general", "felic", "possib", "amig", "cant",
        "fal", "com", "viv", "part", "corr", "escrev", "pens", "trabalh", "cidad", "livr", "cas", "portugu", "brasil",
        "coraç", "m", "p", "le", "ai", "ou", "eu", "gu", "c", "ç", "açã", "quilométr", "quimioteráp", "hospit", "lógic",
        "organiz", "comunic", "rápid", "fácil", "histór", "mund", "pov", "naç", "soluç", "educ", "produt", "inform",
    ];

    private static readonly string[] PortugueseSuffixes =
    [
        "eza", "ezas", "ico", "ica", "icos", "icas", "ismo", "ismos", "ável", "ível", "ista", "istas", "oso", "osa",
        "osos", "osas", "amento", "amentos", "imento", "imentos", "adora", "ador", "ação", "adoras", "adores", "ações",
        "ante", "antes", "ância", "logía", "logías", "ución", "uciones", "logia", "ução", "uções", "ência", "ências",
        "amente", "mente", "idade", "idades", "iva", "ivo", "ivas", "ivos", "ira", "iras", "eira", "ic", "ad", "os",
        "iv", "at", "avel", "abil", "ada", "ida", "ia", "aria", "eria", "iria", "ará", "ara", "erá", "era", "irá", "ava",
        "asse", "esse", "isse", "aste", "este", "iste", "ei", "arei", "erei", "irei", "am", "iam", "ariam", "eriam",
        "iriam", "aram", "eram", "iram", "avam", "em", "arem", "erem", "irem", "assem", "essem", "issem", "ado", "ido",
        "ando", "endo", "indo", "arão", "erão", "irão", "ar", "er", "ir", "as", "adas", "idas", "ias", "arias", "erias",
        "irias", "arás", "aras", "erás", "eras", "irás", "avas", "es", "ardes", "erdes", "irdes", "ares", "eres", "ires",
        "asses", "esses", "isses", "astes", "estes", "istes", "is", "ais", "eis", "íeis", "aríeis", "eríeis", "iríeis",
        "áreis", "areis", "éreis", "ereis", "íreis", "ireis", "ásseis", "ésseis", "ísseis", "áveis", "ados", "idos",
        "ámos", "amos", "íamos", "aríamos", "eríamos", "iríamos", "áramos", "éramos", "íramos", "ávamos", "emos",
        "aremos", "eremos", "iremos", "ássemos", "êssemos", "íssemos", "imos", "armos", "ermos", "irmos", "eu", "iu",
        "ou", "a", "i", "o", "á", "í", "ó", "e", "é", "ê", "gue", "cie", "ci", "ç", "ão", "ões", "ã", "õ", "ãe", "u",
    ];

    [Fact]
    public void Portuguese_agrees_with_snowballs_generated_stemmer_on_a_generated_vocabulary() =>
        AssertAgrees(new Lucene.Net.Tartarus.Snowball.Ext.PortugueseStemmer(), PortugueseStemmer.Stem,
            "bcdfghjlmnpqrstvxzçk", "aeiouáéíóúâêôãõà", PortugueseStems, PortugueseSuffixes, seed: 4905);

    // Published examples (snowballstem.org, Portuguese stemmer, sample vocabulary and output).
    [Theory]
    [InlineData("boa", "boa")]
    [InlineData("boataria", "boat")]
    [InlineData("boate", "boat")]
    [InlineData("boates", "boat")]
    [InlineData("boatos", "boat")]
    [InlineData("bob", "bob")]
    [InlineData("boba", "bob")]
    [InlineData("bobagem", "bobag")]
    [InlineData("bobagens", "bobagens")]
    [InlineData("bobalhões", "bobalhõ")]
    [InlineData("bobear", "bob")]
    [InlineData("bobeira", "bobeir")]
    [InlineData("bobinho", "bobinh")]
    [InlineData("bobo", "bob")]
    [InlineData("boca", "boc")]
    [InlineData("bocadas", "boc")]
    [InlineData("bocado", "boc")]
    [InlineData("bocarra", "bocarr")]
    [InlineData("bode", "bod")]
    [InlineData("bodoque", "bodoqu")]
    [InlineData("quiabo", "quiab")]
    [InlineData("quicaram", "quic")]
    [InlineData("quieta", "quiet")]
    [InlineData("quietinha", "quietinh")]
    [InlineData("quilométricas", "quilométr")]
    [InlineData("quilométricos", "quilométr")]
    [InlineData("quilômetro", "quilômetr")]
    [InlineData("quinhão", "quinhã")]
    [InlineData("quinhentos", "quinhent")]
    [InlineData("quintão", "quintã")]
    [InlineData("quintuplicou", "quintuplic")]
    [InlineData("quinzena", "quinzen")]
    [InlineData("quiosque", "quiosqu")]
    public void Portuguese_gives_the_published_stems(string word, string stem)
    {
        Assert.Equal(stem, Snowball(new Lucene.Net.Tartarus.Snowball.Ext.PortugueseStemmer(), word));
        Assert.Equal(stem, PortugueseStemmer.Stem(word));
    }

    // ---- Dutch ----

    private static readonly string[] DutchStems =
    [
        "licham", "licht", "opgav", "opgan", "huis", "kind", "vrouw", "man", "boek", "groot", "klein", "maan", "boom",
        "vuur", "zee", "straat", "werk", "loop", "speel", "lees", "schrijf", "denk", "zeg", "gem", "lach", "bij", "haar",
        "kat", "hond", "bed", "bak", "mooi", "nieuw", "oud", "vrij", "ja", "y", "ij", "aai", "ei", "uu", "bedrijf",
        "gezond", "vriend", "waar", "zwaar", "dank", "verklar", "bestaan", "leid", "ontwikkel", "gebruik", "rijk",
    ];

    private static readonly string[] DutchSuffixes =
    [
        "heden", "en", "ene", "s", "se", "e", "heid", "end", "ing", "ig", "lijk", "baar", "bar", "kk", "dd", "tt", "kken",
        "dde", "tten", "gemen", "je", "jes", "aan", "oon", "eer", "uur", "er", "ers", "ste", "t", "d", "ië", "ën", "ij",
        "y", "ye", "ee", "lijke", "lijkheden", "igheid", "ende", "ingen", "baarheid", "heidje", "ijk", "ëe", "iën",
    ];

    [Fact]
    public void Dutch_agrees_with_snowballs_generated_stemmer_on_a_generated_vocabulary() =>
        AssertAgrees(new Lucene.Net.Tartarus.Snowball.Ext.DutchStemmer(), DutchStemmer.Stem,
            "bcdfghjklmnpqrstvwxz", "aeiouyèäëïöüáéíóú", DutchStems, DutchSuffixes, seed: 4906);

    // Published examples (snowballstem.org, Dutch stemmer, sample vocabulary and output).
    [Theory]
    [InlineData("lichaamsziek", "lichaamsziek")]
    [InlineData("lichamelijk", "licham")]
    [InlineData("lichamelijke", "licham")]
    [InlineData("lichamelijkheden", "licham")]
    [InlineData("lichamen", "licham")]
    [InlineData("lichere", "licher")]
    [InlineData("licht", "licht")]
    [InlineData("lichtbeelden", "lichtbeeld")]
    [InlineData("lichtbruin", "lichtbruin")]
    [InlineData("lichtdoorlatende", "lichtdoorlat")]
    [InlineData("lichte", "licht")]
    [InlineData("lichten", "licht")]
    [InlineData("lichtende", "lichtend")]
    [InlineData("lichtere", "lichter")]
    [InlineData("lichtgevend", "lichtgev")]
    [InlineData("lichtgevende", "lichtgev")]
    [InlineData("opgaan", "opgan")]
    [InlineData("opgaande", "opgaand")]
    [InlineData("opgaat", "opgat")]
    [InlineData("opgaf", "opgaf")]
    [InlineData("opgang", "opgang")]
    [InlineData("opgave", "opgav")]
    [InlineData("opgaven", "opgav")]
    [InlineData("opgebaard", "opgebaard")]
    [InlineData("opgeblazen", "opgeblaz")]
    [InlineData("opgebouwd", "opgebouwd")]
    [InlineData("opgedane", "opgedan")]
    public void Dutch_gives_the_published_stems(string word, string stem)
    {
        Assert.Equal(stem, Snowball(new Lucene.Net.Tartarus.Snowball.Ext.DutchStemmer(), word));
        Assert.Equal(stem, DutchStemmer.Stem(word));
    }
}
