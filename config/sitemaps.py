"""/sitemap.xml: the public pages, in both languages. Results pages join it only once their
snapshot is published (asked through `published_snapshot`, like every public surface)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from awards.models import AwardCycle
from judging.results import published_snapshot


class _Bilingual(Sitemap):
    i18n = True  # one <url> per language, each listing the other as an alternate
    alternates = True


class SitePages(_Bilingual):
    changefreq = "weekly"

    def items(self):
        return ["awards:home", "awards:archive"]

    def location(self, item):
        return reverse(item)


class EditionPages(_Bilingual):
    def items(self):
        return [
            (cycle, page)
            for cycle in AwardCycle.objects.public().order_by("-festival_year")
            for page in ("awards:edition", "awards:rules")
        ]

    def location(self, item):
        cycle, page = item
        return reverse(page, kwargs={"year": cycle.festival_year})

    def lastmod(self, item):
        return item[0].updated_at


class ResultsPages(_Bilingual):
    def items(self):
        pages = []
        cycles = AwardCycle.objects.public().filter(results_published_at__isnull=False)
        for cycle in cycles.order_by("-festival_year"):
            snapshot = published_snapshot(cycle)
            if snapshot is None:
                continue
            year, published_at = cycle.festival_year, snapshot.published_at
            pages.append(("judging:results", {"year": year}, published_at))
            slugs = dict.fromkeys(award["entry"]["slug"] for award in snapshot.data["awards"])
            pages += [("judging:winner", {"year": year, "slug": s}, published_at) for s in slugs]
        return pages

    def location(self, item):
        name, kwargs, _published_at = item
        return reverse(name, kwargs=kwargs)

    def lastmod(self, item):
        return item[2]


SITEMAPS = {"site": SitePages, "editions": EditionPages, "results": ResultsPages}
