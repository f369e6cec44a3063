"""The names and numbers the demo county is made of (their sources: fangkong/demo/__init__.py)."""

from fangkong.areas.models import Level


def _words(text):
    return text.split()


def _weights(text):
    """ "a:3 b:1" → {"a": 3, "b": 1}"""
    return {key: int(weight) for key, weight in (item.split(":") for item in text.split())}


TOP = [
    ("350000000000", "福建省", Level.PROVINCE),
    ("350500000000", "泉州市", Level.CITY),
    ("350502000000", "鲤城区", Level.COUNTY),
]
# (code, name, units are villages, unit names without 社区/村)
STREETS = [
    ("350502001000", "海滨街道", False, "府文 新华 后城 义全 镇抚 文胜 涂门"),
    ("350502002000", "临江街道", False, "五堡 聚宝 青龙 新门 万寿 南门"),
    ("350502003000", "鲤中街道", False, "象峰 南俊 中山 凤池 西隅 新街"),
    ("350502004000", "开元街道", False, "开元 新春 双塔 西街 北门 东街"),
    ("350502005000", "浮桥街道", False, "王宫 新步 黄龙 笋江 城西 延陵"),
    ("350502006000", "江南街道", False, "亭店 新亭 乌石 登峰 紫华 火炬"),
    ("350502007000", "金龙街道", False, "金柄 高山 玉霞 赤土 曾林 古店 后坑 坑头"),
    ("350502008000", "常泰街道", True, "华星 锦田 新塘 仙塘 杏宅 双阳 南塘"),
]
KNOWN_CODES = {"开元社区": "350502004011"}
PLACE_CHARS = "东西南北新华福泉鲤桂梅榕凤龙丰安宁和瑞兴江滨湖溪塘美德霞源清文古园坂埔"


ROADS = _words("中山路 新华路 温陵路 西街 东街 涂门街 九一路 庄府巷 环城路 笋江路 江滨路 泉秀路")
COMPOUNDS = _words("刺桐花园 温陵雅苑 泉秀花园 鲤城新村 江滨花园 中山公寓 滨江豪园 紫荆苑 金鹭花园")
NATURAL_VILLAGES = _words("上厝 下厝 东埔 西埔 后山 前埔 新厝 顶社 溪边 大埔 林厝 蔡厝 后垵 田中央")
# Common surnames in Quanzhou, the frequent ones repeated.
SURNAMES = "陈陈陈陈陈陈林林林林林黄黄黄黄王王王李吴蔡张李吴蔡张郑许洪苏杨庄郭刘施曾谢周康傅柯蒋徐赵何潘卢颜龚萧叶丁粘尤骆"
MALE_CHARS = (
    "伟强建国明志文华军东荣辉斌勇俊杰鹏涛鑫宇浩轩泽晨振福金水清源德忠仁义海江龙祥裕坤宏良永"
)
FEMALE_CHARS = "丽芳娟敏静燕玲萍红霞美秀英珍琴雪婷雅欣怡涵梅兰莉淑惠月凤春碧琼佳慧蓉珠"
MOBILE_PREFIXES = _words("130 131 132 133 135 136 137 138 139 150 151 152 158 159 177 180 186 189")
# Birth place codes with weights; each is used only for the birth years stdnum accepts for it
# (3505xx from 1985, the 晋江地区 codes 3524xx up to 1985).
LOCAL_PLACES = _weights(
    "350502:60 350503:5 350504:2 350505:1 350521:5 350522:5 350523:4 350524:4 350525:2 "
    "350526:2 350581:3 350582:5 350583:5 352401:60 352421:5 352422:8 352423:6 352424:4 "
    "352425:2 352426:2"
)
OUTSIDE_PLACES = _weights(
    "360121:3 362132:2 362101:2 360722:2 360731:2 510521:3 511321:2 513023:2 430521:2 "
    "431021:2 421127:2 522121:2 522401:2 450821:1"
)
HOUSEHOLD_SIZES = {1: 16, 2: 24, 3: 24, 4: 19, 5: 11, 6: 5, 7: 3}  # mean ≈ 3.1

# Notes a grid worker writes on a key-group tag (the disability certificate's category and grade).
DISABILITIES = _words(
    "肢体残疾二级 肢体残疾三级 肢体残疾四级 视力残疾一级 视力残疾三级 听力残疾二级 听力残疾四级 "
    "言语残疾三级 智力残疾二级 精神残疾三级 多重残疾一级"
)
STATUS_NOTES = {
    "moved_out": _words("户口迁往厦门 随子女迁往福州 迁往晋江 外出务工已迁出"),
    "deceased": _words("病故 因病去世 自然死亡"),
}

PASSWORD = "fangkong-demo"
ACCOUNTS = [
    "sysadmin",
    "county",
    "township",
    "community",
    "community2",
    "grid",
    "grid2",
    "building_head",
    "group_leader",
    "medical",
    "checkpoint",
    "volunteer",
]
