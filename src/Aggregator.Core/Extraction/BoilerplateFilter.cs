using System.Text.RegularExpressions;
using Aggregator.Core.Configuration;

namespace Aggregator.Core.Extraction;

/// <summary>
/// Drops blocks that are site furniture, not story: known lines ("For the latest headlines…",
/// "Continue Reading"…), a "Read more:" label with the headline links after it, link-only
/// blocks at the end, and the site's own <c>stripText</c> phrases and /regexes/.
/// </summary>
internal static partial class BoilerplateFilter
{
    public static List<Block> Filter(List<Block> blocks, SiteRules rules)
    {
        var siteRegexes = rules.StripText.Where(TextPattern.IsRegex).Select(TextPattern.Compile).ToList();
        var sitePhrases = rules.StripText.Where(p => !TextPattern.IsRegex(p)).ToList();
        var kept = new List<Block>(blocks.Count);
        var inRelatedList = false;
        foreach (var block in blocks)
        {
            if (RelatedLabel().IsMatch(block.Text) || (block.Text.Length <= MaxLabel && SectionLabel().IsMatch(block.Text)))
            {
                inRelatedList = true;
                continue;
            }
            if (inRelatedList && (block.LinkOnly || block.Text.Length < 20)) continue;
            inRelatedList = false;
            if (IsKnownBoilerplate(block.Text)) continue;
            if (sitePhrases.Any(p => block.Text.Contains(p, StringComparison.OrdinalIgnoreCase))) continue;
            if (siteRegexes.Any(r => r.IsMatch(block.Text))) continue;
            kept.Add(block);
        }
        RemoveLinkRails(kept);
        TrimTrailingLinks(kept);
        return kept;
    }

    /// <summary>A section label is a short line: a heading or a lone "Kontakt:", never a sentence.</summary>
    private const int MaxLabel = 50;

    public static bool IsKnownBoilerplate(string text) =>
        text.Length < 300 && (KnownLine().IsMatch(text) || ShortChrome().IsMatch(text) || RelatedLead().IsMatch(text) || AdLabel().IsMatch(text)
            || (text.Length < 200 && (Credit().IsMatch(text) || PostMeta().IsMatch(text) || Subscribe().IsMatch(text)))
            || (text.Length < 60 && Dateline().IsMatch(text))
            || (text.Length < 80 && (Timestamp().IsMatch(text) || ShareOrRate().IsMatch(text) || CommentsOrReadingTime().IsMatch(text))));

    /// <summary>
    /// Runs of three or more link-only blocks inside the body are a rail of headlines ("you may also
    /// like"), and so is a heading over nothing but links; the story's own links sit inside sentences.
    /// </summary>
    private static void RemoveLinkRails(List<Block> kept)
    {
        for (var i = 0; i < kept.Count; i++)
        {
            var heading = IsHeading(kept[i]);
            var end = heading ? i + 1 : i;
            while (end < kept.Count && kept[end].LinkOnly) end++;
            var links = end - (heading ? i + 1 : i);
            var rail = (!heading && links >= 5) || (heading && links >= 2 && (end == kept.Count || IsHeading(kept[end])));
            if (rail) kept.RemoveRange(i, end - i);
            if (rail) i--;
        }
    }

    private static bool IsHeading(Block block) => block.Tag is "h2" or "h3" or "h4" or "h5" or "h6";

    /// <summary>Link-only blocks after the last real paragraph are related-story lists, not body.</summary>
    private static void TrimTrailingLinks(List<Block> kept)
    {
        while (kept.Count > 0 && (kept[^1].LinkOnly || kept[^1].Tag is "h2" or "h3" or "h4" or "h5" or "h6"))
            kept.RemoveAt(kept.Count - 1);
    }

    [GeneratedRegex(@"^(read more|related( stories| articles| coverage| posts)?|also read|read also|see also|more on this( story)?|recommended|more from|you may also like|further reading|most (popular|read)|latest news|more stories|popular posts|recent posts|"
        + @"lesen sie auch|lesen sie mehr|mehr zum thema|siehe auch|das könnte (sie|dich) auch interessieren|auch interessant|weitere (artikel|beiträge|nachrichten)|neueste (artikel|beiträge)|empfohlene (beiträge|artikel)|ähnliche (beiträge|artikel)|"
        + @"à lire aussi|lire aussi|voir aussi|sur le même sujet|lee también|lea también|te puede interesar|noticias relacionadas|leggi anche|czytaj (też|także|również)|zobacz (też|także)|polecamy|leia também|veja também|lees ook|zum weiterlesen|weiterführende links?|about the author|über den autor|über die autorin)\s*[:!…]?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex RelatedLabel();

    /// <summary>
    /// The label over a page's trailing sections (more on the topic, further links, contact, sources) in
    /// the languages of the labelled pages: the section under it is site furniture, not story.
    /// </summary>
    [GeneratedRegex(@"^(weitere( \S+){1,2}|weiterführende?r? (informationen|infos?|links?|artikel|literatur)|mehr (zum thema|zu \S+|über \S+)( \S+){0,3}|entdecken? (sie )?(weitere|mehr)( \S+){0,3}|"
        + @"kontakt(e|daten)?( zu \S+)?|contact( us| information)?|quellen(angaben)?|sources?|originalartikel|original article|(more|further) (information|info|reading|links)|"
        + @"plus d'informations?|en savoir plus|pour en savoir plus|más información|więcej informacji|meer informatie|ulteriori informazioni)\s*[:!…]?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex SectionLabel();

    /// <summary>A publication line standing alone ("Publikacja: 12.03.2021", "Release Date:", "Veröffentlicht am …").</summary>
    [GeneratedRegex(@"^(release date|publication date|published( on| at)?|updated( on| at)?|publikacja|opublikowano|aktualizacja|veröffentlichung|veröffentlicht( am| in)?|aktualisiert( am)?|publié( le)?|mis à jour( le)?|publicado( el)?|actualizado( el)?|pubblicato( il)?)\b\s*:?[\s\d.,:/-]*(\w+\s*){0,3}$", RegexOptions.IgnoreCase)]
    private static partial Regex Dateline();

    [GeneratedRegex(@"follow (us|our) .{0,40}(google news|twitter|facebook|instagram|telegram|whatsapp)|for the latest headlines|sign up (for|to) our .{0,30}newsletter|subscribe to our|all rights reserved|your email address will not be published|required fields are marked|^leave a (reply|comment)|^click to (comment|share)|^share (this|on)|^(continue reading|click to comment|developing|trending|advertisement|connect with us|post comment)\.?$|^(image|photo|picture)( credit)?s?:\s|^download (the|our) app", RegexOptions.IgnoreCase)]
    private static partial Regex KnownLine();

    [GeneratedRegex(@"^(share|tweet|email|print|facebook|twitter|whatsapp|linkedin|reddit|copy link|share on facebook)(\s*[|·•]\s*\w+)*$", RegexOptions.IgnoreCase)]
    private static partial Regex ShortChrome();

    /// <summary>A related-story label with its headline in the same block ("PUEDES VER: …", "À lire aussi : …").</summary>
    [GeneratedRegex(@"^(read more|read also|also read|see also|related|puedes ver|mire|lee también|lea también|te puede interesar|à lire aussi|lire aussi|lesen sie auch|mehr zum thema|siehe auch|czytaj (też|także)|zobacz (też|także)|leggi anche|leia também|veja também)\s*[:|»>]", RegexOptions.IgnoreCase)]
    private static partial Regex RelatedLead();

    /// <summary>An advertisement label standing alone or leading a house ad ("ANZEIGE - …").</summary>
    [GeneratedRegex(@"^\W*(advertisement|anzeige|werbung|reklama|publicidad|publicité|pubblicità|sponsored|gesponsert)\s*([-–:|*]|$)", RegexOptions.IgnoreCase)]
    private static partial Regex AdLabel();

    /// <summary>Photo credits and source lines under pictures.</summary>
    [GeneratedRegex(@"^\(?(image|photo|picture|foto|fotos|bild|bilder|quelle|source|fuente|źródło|fot\.|crédito|credit|credits|illustration)s?( credits?)?\s*:", RegexOptions.IgnoreCase)]
    private static partial Regex Credit();

    /// <summary>Post metadata lines: category, tags, "This entry was posted in…".</summary>
    [GeneratedRegex(@"^(category|categories|kategorie|kategorien|catégorie|categoría|categoria|kategoria|tags?|schlagw(ö|o)rte?|filed under|posted in|this entry was posted)\b\s*:?", RegexOptions.IgnoreCase)]
    private static partial Regex PostMeta();

    [GeneratedRegex(@"subscribe (now|today)|please subscribe|already a subscriber|newsletter abonnieren|jetzt abonnieren|sign up for (our|the) .{0,30}newsletter|subscribe to (the|our)|follow .{0,40} on (twitter|facebook|instagram)|download the .{0,30}app", RegexOptions.IgnoreCase)]
    private static partial Regex Subscribe();

    /// <summary>A date or a time standing alone (a comment's or a teaser's stamp).</summary>
    [GeneratedRegex(@"^(\d{1,2}[:.]\d{2}(\s?[ap]\.?m\.?)?|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(,? \d{1,2}:\d{2})?)$", RegexOptions.IgnoreCase)]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"\b(teilen|share this|partager|compartir|condividi|udostępnij|bewerten|rate this)\b|^(vorschau auf den nächsten artikel|nächster artikel|vorheriger artikel|next (article|post|story)|previous (article|post|story)|article suivant|article précédent)", RegexOptions.IgnoreCase)]
    private static partial Regex ShareOrRate();

    [GeneratedRegex(@"^(no|keine|aucun|sin) (comments?|kommentare?|commentaires?|comentarios?)\b|nicht eingeloggt|logged in to (post|comment)|^\d+ (comments?|kommentare?)$|^\d+\s*(min|minutes?|minuten)\.?( read| lesezeit| de lecture)?$|^lesezeit\b", RegexOptions.IgnoreCase)]
    private static partial Regex CommentsOrReadingTime();
}
