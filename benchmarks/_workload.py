"""What the benchmarks share: the Chinese text material of generated clues, and a run's bookkeeping.

``bench_route.py`` and ``compare.py`` import it; run as scripts, they find it beside them on
``sys.path``. Nothing here imports xxrules.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHINA = timezone(timedelta(hours=8))

# ------------------------------------------------------------------ text material

REAL_KEYWORDS = (
    "液化气",
    "漏气",
    "煤气味",
    "预付卡",
    "跑路",
    "健身房",
    "食物中毒",
    "过期食品",
    "无证经营",
    "拖欠工资",
    "噪音扰民",
    "排污",
    "违建",
    "消防通道",
    "电梯",
    "网约车",
    "骗保",
    "养老院",
    "景区",
    "乱收费",
    "虚假宣传",
    "非法集资",
    "停水",
    "占道经营",
    "危化品",
    "工地",
    "物业",
    "培训机构",
    "药店",
    "诊所",
)
OBJECTS = (
    "一家餐馆",
    "小区",
    "健身房",
    "工地",
    "加油站",
    "幼儿园",
    "药店",
    "超市",
    "培训机构",
    "养老院",
    "网店",
    "物流公司",
    "农贸市场",
    "酒店",
    "诊所",
    "加工厂",
    "景区",
    "出租屋",
    "洗车店",
    "KTV",
)
FILLERS = (
    "已经持续一个多月了",
    "多次反映无果",
    "周边居民意见很大",
    "存在较大安全隐患",
    "请相关部门尽快核实处理",
    "来电人情绪激动",
    "要求尽快给予答复",
    "希望政府部门管一管",
    "附近还有小学",
    "晚上特别严重",
    "商家态度恶劣",
    "联系不上负责人",
    "之前打过电话但没人处理",
    "影响正常生活",
    "现场有照片和视频",
    "希望不要透露个人信息",
    "老人小孩都受到影响",
    "昨天下午三点左右发现的",
)
NEUTRAL = (
    "您好",
    "想咨询一下办理居住证需要什么材料",
    "请问社区服务中心周末上班吗",
    "感谢工作人员的热情服务",
    "来电表扬窗口工作人员",
    "询问公交线路调整情况",
    "咨询政策相关问题",
    "来电人未说明具体事项后挂断",
    "对上次回复表示满意",
    "想了解一下新区的落户政策",
    "谢谢",
)
TEMPLATES = (
    "{place}{obj}{kw}，{filler}",
    "市民来电反映：{place}{obj}存在{kw}问题，{filler}，请相关部门核实处理。",
    "网格员巡查发现{place}{obj}{kw}，{filler}。",
    "投诉{obj}{kw}，还有{kw2}的情况，{filler}。",
    "{filler}，{place}{kw}，{filler2}。",
    "来电人称在{obj}消费后{kw}，涉及金额约{money}元，{filler}。",
    "关于{place}{kw}和{kw2}的问题已多次反映，{filler}，希望尽快解决。",
    "{kw}",
    "媒体报道：{place}{obj}{kw}，{kw2}，{filler}。",
)
TAGS = ("连锁", "重点单位", "学校周边", "夜间经营", "外卖", "老旧小区")
CATEGORIES = ("食品安全", "安全生产", "消费维权", "环境保护", "城市管理", "劳动保障")
DOMAINS = ("市场监管", "安全生产", "生态环境", "城市管理", "教育", "卫生健康", "交通运输", "文化旅游")
# Common simplified characters: pseudo-words are 2-4 of these.
PSEUDO_CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面"
    "而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把"
    "性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质"
    "气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活"
    "设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则"
    "任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清美再"
    "采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况"
)


# ---------------------------------------------------------------------- bookkeeping


def positive_int(minimum: int) -> Callable[[str], int]:
    """An argparse type: an integer of at least ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text.replace("_", "").replace(",", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


class Progress:
    """Progress lines on stderr; remembers the current phase for an interrupt message."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.phase = "starting"

    def __call__(self, phase: str) -> None:
        self.phase = phase
        print(f"[{time.perf_counter() - self.start:7.1f}s] {phase}", file=sys.stderr, flush=True)


def percentile(ordered: list[int], share: float) -> int:
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, -(-len(ordered) * share // 100))
    return ordered[int(rank) - 1]


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far, in MiB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def commit() -> str | None:
    """The checkout's git commit, with ``+dirty`` if xxrules/ or rules/ have uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "xxrules", "rules"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("+dirty" if dirty else "")


def load_average() -> tuple[float, ...]:
    """The 1, 5 and 15 minute load averages, or () where the platform has none."""
    return tuple(round(x, 2) for x in os.getloadavg()) if hasattr(os, "getloadavg") else ()


def cpus() -> int | None:
    """CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def _proc_field(path: str, name: str) -> str | None:
    """The value of the first ``name:`` line of a Linux /proc file, or None elsewhere."""
    try:
        with open(path, encoding="utf-8") as stream:
            return next((line.split(":", 1)[1].strip() for line in stream if line.startswith(name)), None)
    except OSError:
        return None


def machine() -> dict[str, Any]:
    """Python, platform, CPU model and count, memory, git commit, load average: what a result needs beside it."""
    memory = _proc_field("/proc/meminfo", "MemTotal")
    return {
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "cpu": _proc_field("/proc/cpuinfo", "model name") or platform.processor() or None,
        "cpus": cpus(),
        "memory_gib": round(int(memory.split()[0]) / 2**20, 1) if memory else None,
        "commit": commit(),
        "load_average": load_average(),
    }
