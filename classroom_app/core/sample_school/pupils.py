"""The made-up pupils of ``classroom sample-data``: Chinese names, student numbers, how
each one learns, and what they write in a reflection.

Names and sentences are data in the pupils' language, not user interface: not translated.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩邓冯曹彭曾肖田董潘袁蔡蒋余"
            "于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛")
GIVEN = ("子梓浩宇轩涵欣怡佳俊杰思雨晨诺博文嘉睿泽天明辰悦可心若汐雅婷然皓铭奕安琪语彤宸雪梦"
         "瑶鑫磊昊紫萱诗逸凡晓峰亦鹏洋芷沐芸锦程一航书瑞宁远辉静馨月乐彬豪")


def _sentences(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[^。！]+[。！]", text))


# What a pupil might write after a lesson: data, in the pupils' language, not translated.
REFLECTIONS = {
    "primary": _sentences("原来电脑是靠很多小格子来看图片的。电脑要看很多例子才能认出东西。"
                         "人工智能很有趣，但它也会出错。我教电脑认石头和剪刀，它一开始总认错。"
                         "例子越多，电脑学得越好。标签写错了，电脑也会跟着学错。"
                         "生活里很多地方都有人工智能，比如刷脸开门。人工智能是人做出来的，要由人来管。"
                         "我想让电脑帮我认出不同的树叶。电脑能看懂我的手势，真神奇。电脑并不是真的会思考。"
                         "不能随便把自己的照片发给别人。"),
    "middle": _sentences("特征选得好，模型才能分得准。训练集和测试集要分开，不然准确率不可信。"
                        "模型在新数据上不一定和训练时一样准。数据有偏差，模型也会有偏见。"
                        "混淆矩阵让我看清模型把哪两类搞混了。使用人脸识别之前应该先征得同意。"
                        "误报和漏报的代价不一样，要看用在哪里。我的样本太少了，下次要多拍不同角度的。"
                        "手上关键点的坐标也是一种特征。以后我会先想一想数据是从哪里来的。"),
    "senior": _sentences("一个AI项目要经过定义问题、收集数据、训练、评估和改进。"
                        "只看准确率不够，还要看对不同人群是否公平。深度伪造提醒我要核实信息的来源。"
                        "光线暗时手势容易认错，需要补充这类数据。隐私保护应该在设计系统时就考虑进去。"
                        "AI给出的结果需要人来复核。我们的方案要先说清楚谁会受到影响。"
                        "选哪个评估指标，取决于我们最怕哪种错误。用AI写作业要如实说明，不能据为己有。"
                        "先分析认错的样本，比盲目加数据更有效。"),
}
CLOSERS = _sentences("下节课我还想再试一次。我还有一个问题想问老师。今天的课很有意思！"
                     "我要讲给爸爸妈妈听。")


@dataclass
class Pupil:
    """One learner, and what the simulation remembers of their year."""

    number: str
    name: str
    ability: float  # chance of a right answer to an average question
    pace: float  # above 1 is slower than planned
    keen: float  # how often they come on their own; below 0.5 they never catch up
    joins: int  # the simulated day they join the class
    ill: tuple[int, int]  # a long illness: first day and length (or none)
    id: int = 0
    sick_until: int = -1
    open: set[str] = field(default_factory=set)  # lessons with an unfinished attempt
    finished: set[str] = field(default_factory=set)
    runs: dict[str, int] = field(default_factory=dict)
    best: dict[str, float] = field(default_factory=dict)


def make_pupils(rng: random.Random, count: int, days: int, prefix: str) -> list[Pupil]:
    """The class: names, student numbers (prefix and seat) and how each one learns."""
    weights = [1 / (i + 6) for i in range(len(SURNAMES))]  # 王, 李, 张 … most common
    late = count // 15  # a transfer pupil or two joins during the year
    names: set[str] = {""}
    pupils = []
    for seat in range(1, count + 1):
        name = ""
        while name in names:
            given = rng.choices(GIVEN, k=1 if rng.random() < 0.2 else 2)
            name = rng.choices(SURNAMES, weights)[0] + "".join(given)
        names.add(name)
        weak = rng.random() < 0.1
        pupils.append(Pupil(
            f"{prefix}{seat:0{max(2, len(str(count)))}d}", name,
            ability=min(0.95, max(0.25, rng.gauss(0.5 if weak else 0.72, 0.1))),
            pace=rng.uniform(1.2, 1.6) if weak else rng.uniform(0.7, 1.2),
            keen=rng.uniform(0.1, 0.4) if weak else rng.uniform(0.3, 1.0),
            joins=0 if seat <= count - late else rng.randint(days // 5, days // 2),
            ill=(rng.randrange(days), rng.randint(15, 30)) if rng.random() < 0.05 else (-1, 0)))
    return pupils


def reflection(rng: random.Random, pupil: Pupil, stage: str) -> str:
    """A sentence or two of reflection; keen pupils add a line more often."""
    text = rng.choice(REFLECTIONS.get(stage, REFLECTIONS["primary"]))
    return text + (rng.choice(CLOSERS) if rng.random() < 0.3 * pupil.keen else "")
