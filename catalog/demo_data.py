"""Vocabulary for the demo-store generator: categories, product types, brands, people.

Kept apart from the generator so the generator stays about logic, not word lists.
"""

from __future__ import annotations

from typing import TypedDict


class ProductType(TypedDict):
    """One kind of product the generator can make."""

    name: str
    price: tuple[float, float]
    options: dict[str, list[str]]
    features: list[str]
    materials: list[str]
    uses: list[str]


SIZES_SHOE = ["6", "7", "8", "9", "10", "11", "12", "13"]
SIZES_WEAR = ["XS", "S", "M", "L", "XL", "XXL"]
COLORS = ["black", "white", "navy", "gray", "red", "blue", "green", "brown", "olive", "tan"]


def _t(
    name: str,
    price: tuple[float, float],
    options: dict[str, list[str]],
    features: list[str],
    materials: list[str],
    uses: list[str],
) -> ProductType:
    return ProductType(
        name=name, price=price, options=options, features=features, materials=materials, uses=uses
    )


_SHOE = {"size": SIZES_SHOE, "color": COLORS[:8]}
_WEAR = {"size": SIZES_WEAR, "color": COLORS}

CATEGORIES: dict[str, list[ProductType]] = {
    "Footwear": [
        _t("Hiking Boots", (70, 260), _SHOE,
           ["waterproof", "Gore-Tex membrane", "Vibram outsole", "ankle support", "insulated",
            "lightweight", "breathable", "lugged tread"],
           ["full-grain leather", "suede", "synthetic nubuck"], ["day hikes", "backpacking", "trail"]),
        _t("Trail Running Shoes", (60, 190), _SHOE,
           ["waterproof", "rock plate", "breathable mesh", "cushioned", "grippy outsole",
            "lightweight"], ["engineered mesh", "ripstop"], ["trail running", "ultramarathons"]),
        _t("Running Shoes", (50, 200), _SHOE,
           ["cushioned", "breathable mesh", "carbon plate", "reflective details", "lightweight"],
           ["knit upper", "engineered mesh"], ["road running", "daily training", "racing"]),
        _t("Rain Boots", (30, 140), _SHOE,
           ["waterproof", "slip-resistant", "pull-on handles", "cushioned footbed"],
           ["natural rubber", "PVC"], ["rainy days", "gardening", "festivals"]),
        _t("Winter Boots", (80, 280), _SHOE,
           ["waterproof", "insulated", "rated to -25F", "removable liner", "slip-resistant"],
           ["leather", "nylon"], ["snow", "cold commutes"]),
        _t("Sandals", (20, 120), _SHOE,
           ["quick-dry", "adjustable straps", "arch support", "water-friendly"],
           ["EVA foam", "webbing", "leather"], ["beach", "summer walks", "river crossings"]),
        _t("Sneakers", (40, 160), _SHOE,
           ["cushioned", "vegan", "memory foam insole", "classic low-top"],
           ["canvas", "leather", "recycled knit"], ["everyday wear", "casual outings"]),
    ],
    "Outdoor & Camping": [
        _t("Backpacking Tent", (90, 650), {"capacity": ["1-person", "2-person", "3-person", "4-person"], "color": ["green", "orange", "gray"]},
           ["waterproof rainfly", "freestanding", "ultralight", "double-wall", "easy setup"],
           ["ripstop nylon", "silnylon", "polyester"], ["backpacking", "car camping"]),
        _t("Sleeping Bag", (40, 420), {"temperature": ["40F", "20F", "0F"], "length": ["regular", "long"]},
           ["water-resistant down", "synthetic insulation", "compressible", "draft collar"],
           ["nylon shell", "polyester"], ["camping", "mountaineering"]),
        _t("Hiking Backpack", (50, 320), {"capacity": ["20L", "35L", "50L", "65L"], "color": COLORS[:6]},
           ["hydration compatible", "rain cover included", "ventilated back panel", "hip belt pockets"],
           ["ripstop nylon", "recycled polyester"], ["day hikes", "thru-hiking", "travel"]),
        _t("Headlamp", (15, 90), {"brightness": ["200 lumens", "400 lumens", "800 lumens"], "color": ["black", "red", "blue"]},
           ["rechargeable", "waterproof", "red night mode", "motion sensor"],
           ["ABS plastic", "aluminum"], ["night hikes", "camping", "running"]),
        _t("Camping Stove", (30, 180), {"fuel type": ["canister", "liquid fuel", "multi-fuel"]},
           ["piezo ignition", "wind-resistant", "simmer control", "compact"],
           ["titanium", "stainless steel"], ["backpacking", "base camp cooking"]),
        _t("Trekking Poles", (25, 190), {"material": ["aluminum", "carbon fiber"], "locking": ["flip lock", "twist lock"]},
           ["collapsible", "cork grips", "shock absorbing", "lightweight"],
           ["carbon fiber", "aluminum"], ["hiking", "snowshoeing"]),
        _t("Water Filter", (20, 130), {"type": ["squeeze", "pump", "gravity"]},
           ["removes 99.99% bacteria", "lightweight", "fast flow"],
           ["hollow fiber", "plastic"], ["backcountry", "emergency kits"]),
    ],
    "Apparel": [
        _t("Rain Jacket", (50, 380), _WEAR,
           ["waterproof", "breathable", "packable", "pit zips", "adjustable hood", "seam-sealed"],
           ["3-layer nylon", "2.5-layer polyester"], ["hiking", "commuting", "travel"]),
        _t("Fleece Jacket", (35, 180), _WEAR,
           ["warm", "full zip", "zip hand pockets", "anti-pill"], ["recycled polyester fleece"],
           ["layering", "camping"]),
        _t("Down Jacket", (90, 450), _WEAR,
           ["800-fill down", "water-resistant", "packable", "insulated hood"],
           ["nylon shell", "responsibly sourced down"], ["winter", "alpine"]),
        _t("T-Shirt", (12, 60), _WEAR,
           ["moisture-wicking", "soft", "tagless", "UPF 30"], ["organic cotton", "merino wool", "polyester"],
           ["everyday wear", "workouts"]),
        _t("Hiking Pants", (40, 160), _WEAR,
           ["water-repellent", "stretch", "zip-off legs", "UPF 50"], ["nylon", "softshell"],
           ["hiking", "travel"]),
        _t("Hoodie", (30, 120), _WEAR, ["brushed interior", "kangaroo pocket", "relaxed fit"],
           ["cotton blend", "French terry"], ["lounging", "casual wear"]),
        _t("Wool Socks", (10, 35), {"size": ["S", "M", "L", "XL"], "cushion": ["light", "medium", "heavy"]},
           ["merino wool", "blister-resistant", "odor-resistant"], ["merino wool blend"], ["hiking", "skiing"]),
    ],
    "Electronics": [
        _t("Wireless Earbuds", (25, 280), {"color": ["black", "white", "blue"]},
           ["active noise cancellation", "water-resistant IPX4", "wireless charging case", "30-hour battery"],
           ["plastic"], ["commuting", "workouts", "calls"]),
        _t("Bluetooth Speaker", (25, 350), {"color": ["black", "blue", "red", "green"]},
           ["waterproof IP67", "12-hour battery", "stereo pairing", "built-in microphone"],
           ["fabric", "rubber"], ["beach", "parties", "camping"]),
        _t("Smartwatch", (80, 500), {"size": ["41mm", "45mm"], "color": ["black", "silver", "gold"]},
           ["GPS", "heart-rate monitor", "sleep tracking", "water-resistant 50m", "7-day battery"],
           ["aluminum", "stainless steel"], ["fitness", "notifications"]),
        _t("Over-Ear Headphones", (40, 450), {"color": ["black", "silver", "blue"]},
           ["active noise cancellation", "40-hour battery", "foldable", "hi-res audio"],
           ["protein leather", "aluminum"], ["travel", "office", "music"]),
        _t("Power Bank", (15, 120), {"capacity": ["10000mAh", "20000mAh", "30000mAh"]},
           ["USB-C PD fast charging", "two devices at once", "LED level indicator"],
           ["aluminum", "plastic"], ["travel", "camping"]),
        _t("E-Reader", (90, 330), {"storage": ["8GB", "16GB", "32GB"], "color": ["black", "sage"]},
           ["glare-free display", "waterproof", "adjustable warm light", "weeks of battery"],
           ["plastic"], ["reading", "travel"]),
        _t("Action Camera", (90, 500), {"resolution": ["4K", "5K"]},
           ["waterproof to 10m", "image stabilization", "voice control"],
           ["polycarbonate"], ["cycling", "diving", "vlogging"]),
    ],
    "Kitchen": [
        _t("Coffee Maker", (25, 400), {"capacity": ["4 cups", "8 cups", "12 cups"], "color": ["black", "stainless"]},
           ["programmable", "thermal carafe", "built-in grinder", "auto shut-off"],
           ["stainless steel", "BPA-free plastic"], ["mornings", "office"]),
        _t("Blender", (30, 450), {"capacity": ["32 oz", "48 oz", "64 oz"], "color": ["black", "red", "white"]},
           ["1200-watt motor", "self-cleaning", "variable speed", "crushes ice"],
           ["Tritan jar", "glass jar"], ["smoothies", "soups"]),
        _t("Chef's Knife", (20, 250), {"blade length": ["6 inch", "8 inch", "10 inch"]},
           ["full tang", "hand-sharpened", "ergonomic handle", "dishwasher-safe"],
           ["German stainless steel", "Damascus steel", "ceramic"], ["home cooking", "meal prep"]),
        _t("Cookware Set", (70, 600), {"pieces": ["5-piece", "10-piece", "12-piece"]},
           ["nonstick", "oven-safe to 500F", "induction compatible", "PFOA-free"],
           ["hard-anodized aluminum", "tri-ply stainless steel", "cast iron"], ["everyday cooking"]),
        _t("Electric Kettle", (20, 160), {"capacity": ["1L", "1.5L", "1.7L"], "color": ["black", "white", "silver"]},
           ["temperature presets", "keep warm", "auto shut-off", "rapid boil"],
           ["stainless steel", "borosilicate glass"], ["tea", "pour-over coffee"]),
        _t("Air Fryer", (50, 280), {"capacity": ["4 qt", "6 qt", "8 qt"]},
           ["digital touchscreen", "dishwasher-safe basket", "8 presets", "rapid air circulation"],
           ["stainless steel", "plastic"], ["quick dinners", "healthier frying"]),
    ],
    "Home": [
        _t("Desk Lamp", (15, 180), {"color": ["black", "white", "brass"]},
           ["dimmable LED", "USB charging port", "adjustable arm", "eye-care light"],
           ["aluminum", "steel"], ["home office", "reading"]),
        _t("Throw Blanket", (20, 150), {"size": ["50x60 in", "60x80 in"], "color": COLORS[:7]},
           ["ultra-soft", "machine washable", "hypoallergenic"],
           ["sherpa fleece", "chunky knit cotton", "wool"], ["sofa", "bedroom"]),
        _t("Bed Pillow", (20, 160), {"size": ["standard", "queen", "king"], "firmness": ["soft", "medium", "firm"]},
           ["cooling gel", "hypoallergenic", "adjustable fill"], ["memory foam", "down alternative"],
           ["side sleepers", "back sleepers"]),
        _t("Area Rug", (50, 600), {"size": ["4x6 ft", "5x8 ft", "8x10 ft"], "color": ["gray", "blue", "beige"]},
           ["stain-resistant", "non-shedding", "low pile"], ["wool", "polypropylene", "jute"],
           ["living room", "bedroom"]),
        _t("Wall Clock", (15, 120), {"diameter": ["10 inch", "12 inch", "16 inch"]},
           ["silent sweep movement", "battery operated"], ["wood", "metal"], ["kitchen", "office"]),
        _t("Robot Vacuum", (150, 900), {"color": ["black", "white"]},
           ["self-emptying base", "app control", "lidar mapping", "pet hair"], ["plastic"],
           ["hardwood floors", "carpets"]),
    ],
    "Beauty & Personal Care": [
        _t("Electric Toothbrush", (25, 250), {"color": ["white", "black", "pink"]},
           ["pressure sensor", "2-minute timer", "3 brushing modes", "travel case"], ["plastic"],
           ["daily oral care"]),
        _t("Hair Dryer", (25, 400), {"color": ["black", "rose gold", "white"]},
           ["ionic", "1875 watts", "diffuser attachment", "cool shot"], ["plastic"], ["styling"]),
        _t("Sunscreen", (8, 45), {"size": ["3 oz", "6 oz"], "SPF": ["30", "50"]},
           ["water-resistant 80 minutes", "reef-friendly", "broad spectrum", "fragrance-free"],
           ["mineral zinc oxide"], ["beach", "hiking"]),
        _t("Moisturizer", (10, 90), {"size": ["1.7 oz", "3.4 oz"]},
           ["hyaluronic acid", "fragrance-free", "non-comedogenic"], ["cream"], ["dry skin"]),
    ],
    "Sports & Fitness": [
        _t("Yoga Mat", (15, 130), {"thickness": ["4mm", "6mm", "8mm"], "color": ["purple", "blue", "black", "green"]},
           ["non-slip", "eco-friendly", "carrying strap", "extra long"], ["natural rubber", "TPE", "cork"],
           ["yoga", "pilates", "home workouts"]),
        _t("Adjustable Dumbbells", (60, 450), {"max weight": ["25 lb", "52.5 lb", "90 lb"]},
           ["quick-change dial", "space-saving", "durable molding"], ["steel", "nylon"], ["home gym"]),
        _t("Resistance Bands", (10, 50), {"level": ["light", "medium", "heavy", "set"]},
           ["door anchor", "handles included", "portable"], ["latex", "fabric"], ["strength training", "rehab"]),
        _t("Bike Helmet", (30, 250), {"size": ["S", "M", "L"], "color": ["black", "white", "red"]},
           ["MIPS protection", "ventilated", "integrated light"], ["EPS foam", "polycarbonate"],
           ["road cycling", "commuting", "mountain biking"]),
        _t("Tennis Racket", (30, 260), {"grip size": ["4 1/8", "4 1/4", "4 3/8"]},
           ["graphite frame", "oversize head", "vibration dampening"], ["graphite"], ["tennis"]),
        _t("Water Bottle", (10, 50), {"capacity": ["500ml", "750ml", "1000ml"], "color": COLORS[:6]},
           ["insulated", "leak-proof", "BPA-free", "keeps cold 24 hours"],
           ["stainless steel", "Tritan plastic", "glass"], ["gym", "hiking", "office"]),
    ],
    "Toys & Games": [
        _t("Building Set", (15, 250), {"pieces": ["300", "750", "1500"]},
           ["compatible with major brands", "ages 8+", "illustrated instructions"], ["ABS plastic"],
           ["creative play", "STEM learning"]),
        _t("Board Game", (15, 80), {"edition": ["standard", "deluxe"]},
           ["2-6 players", "60-minute playtime", "family-friendly"], ["cardboard"], ["game night"]),
        _t("Jigsaw Puzzle", (10, 45), {"pieces": ["500", "1000", "2000"]},
           ["thick pieces", "poster included", "matte finish"], ["recycled cardboard"], ["relaxing"]),
        _t("RC Car", (25, 300), {"scale": ["1:16", "1:10"], "color": ["red", "blue", "green"]},
           ["4WD", "waterproof electronics", "rechargeable battery", "30 mph top speed"],
           ["plastic", "aluminum"], ["outdoor play"]),
    ],
    "Office": [
        _t("Office Chair", (90, 900), {"color": ["black", "gray", "blue"], "armrest": ["fixed", "adjustable"]},
           ["lumbar support", "breathable mesh", "adjustable height", "tilt lock"],
           ["mesh", "fabric", "leather"], ["home office", "gaming"]),
        _t("Standing Desk", (180, 900), {"size": ["48x24 in", "60x30 in", "72x30 in"], "color": ["black", "white", "walnut"]},
           ["dual motor", "memory presets", "anti-collision", "cable tray"], ["steel frame", "bamboo top"],
           ["home office"]),
        _t("Mechanical Keyboard", (40, 250), {"switch type": ["linear", "tactile", "clicky"], "backlight": ["none", "white", "RGB"]},
           ["hot-swappable", "wireless", "PBT keycaps", "full size"], ["aluminum", "plastic"],
           ["typing", "gaming"]),
        _t("Monitor", (110, 800), {"size": ["24 inch", "27 inch", "32 inch"]},
           ["4K", "144Hz", "USB-C", "IPS panel", "height adjustable"], ["plastic", "aluminum"],
           ["work", "gaming"]),
        _t("Notebook", (5, 40), {"ruling": ["lined", "dot grid", "blank"], "color": ["black", "red", "green"]},
           ["lay-flat binding", "120gsm paper", "numbered pages"], ["paper"], ["journaling", "notes"]),
    ],
    "Pet Supplies": [
        _t("Dog Bed", (25, 220), {"size": ["S", "M", "L", "XL"], "color": ["gray", "brown", "navy"]},
           ["orthopedic", "washable cover", "waterproof liner", "bolstered"], ["memory foam"],
           ["senior dogs", "large breeds"]),
        _t("Cat Tree", (35, 250), {"height": ["36 inch", "52 inch", "72 inch"]},
           ["sisal scratching posts", "condo", "hammock"], ["wood", "plush"], ["indoor cats"]),
        _t("Dog Leash", (10, 50), {"length": ["4 ft", "6 ft"], "color": ["black", "red", "blue"]},
           ["reflective stitching", "padded handle", "waterproof"], ["nylon", "biothane"], ["walks", "hiking"]),
    ],
    "Garden": [
        _t("Garden Hose", (20, 120), {"length": ["25 ft", "50 ft", "100 ft"]},
           ["kink-free", "lightweight", "brass fittings"], ["rubber", "polyurethane"], ["watering"]),
        _t("Pruning Shears", (12, 70), {"type": ["bypass", "anvil"]},
           ["sharp steel blades", "ergonomic grip", "safety lock"], ["carbon steel"], ["pruning"]),
        _t("Raised Garden Bed", (40, 300), {"size": ["2x4 ft", "4x4 ft", "4x8 ft"]},
           ["rot-resistant", "easy assembly", "open bottom"], ["cedar", "galvanized steel"],
           ["vegetables", "herbs"]),
    ],
}

BRANDS: list[str] = [
    "Alpenrock", "Northwake", "TrailForge", "Cedar & Pine", "Kestrel", "Lumina", "Brightwave",
    "Ironbark", "Solstice", "Hearthline", "Bluefjord", "Redtail", "Nimbus", "Granite Peak",
    "Sparrow", "Orbitek", "Vantage", "Willow Lane", "Copperfield", "Everstride", "Tidewater",
    "Halcyon", "Quillmark", "Pawsome",
]

MODEL_WORDS: list[str] = [
    "Apex", "Summit", "Ridge", "Voyager", "Pulse", "Nova", "Terra", "Aero", "Drift", "Vista",
    "Echo", "Zenith", "Trek", "Glide", "Pioneer", "Atlas", "Comet", "Ember", "Harbor", "Meridian",
    "Sierra", "Cascade", "Boulder", "Canyon", "Aurora", "Breeze", "Quest", "Rover", "Pace", "Orbit",
]

FIRST_NAMES: list[str] = [
    "Ava", "Liam", "Noah", "Emma", "Olivia", "Mason", "Sophia", "Lucas", "Mia", "Ethan", "Isabella",
    "Amelia", "James", "Harper", "Yusuf", "Aarav", "Mei", "Sofia", "Omar", "Chen", "Fatima",
    "Lena", "Mateo", "Priya", "Daniel", "Chloe", "Ivan", "Zoe", "Raj", "Sara",
]
LAST_NAMES: list[str] = [
    "Smith", "Johnson", "Garcia", "Brown", "Lee", "Rossi", "Khan", "Nguyen", "Patel", "Kim",
    "Lopez", "Muller", "Silva", "Ito", "Novak", "Cohen", "Ahmed", "Moreau", "Jensen", "Wright",
]
CITIES: list[tuple[str, str, str]] = [
    ("Denver", "CO", "80"), ("Seattle", "WA", "98"), ("Austin", "TX", "78"), ("Boston", "MA", "02"),
    ("Chicago", "IL", "60"), ("Portland", "OR", "97"), ("Phoenix", "AZ", "85"),
    ("Philadelphia", "PA", "19"), ("San Diego", "CA", "92"), ("New York", "NY", "10"),
]
STREETS: list[str] = [
    "Maple Drive", "Sunset Drive", "River Road", "Elm Street", "Oak Avenue", "Hillcrest Lane",
    "Park Avenue", "Lakeview Court", "Cedar Street", "Pine Road",
]

# Shopper personas: each customer mostly buys the product types of one persona, so "for
# you" recommendations have real taste to learn from on a fresh machine.
PERSONAS: dict[str, list[str]] = {
    "hiker": [
        "Hiking Boots", "Trail Running Shoes", "Winter Boots", "Backpacking Tent", "Sleeping Bag",
        "Hiking Backpack", "Headlamp", "Camping Stove", "Trekking Poles", "Water Filter",
        "Rain Jacket", "Fleece Jacket", "Down Jacket", "Hiking Pants", "Wool Socks",
    ],
    "home_cook": [
        "Coffee Maker", "Blender", "Chef's Knife", "Cookware Set", "Electric Kettle", "Air Fryer",
        "Wall Clock", "Area Rug",
    ],
    "runner": [
        "Running Shoes", "Trail Running Shoes", "Smartwatch", "Wireless Earbuds", "Water Bottle",
        "T-Shirt", "Wool Socks", "Resistance Bands", "Sunscreen",
    ],
    "pet_owner": ["Dog Bed", "Cat Tree", "Dog Leash", "Robot Vacuum", "Throw Blanket", "Rain Boots"],
    "gardener": [
        "Garden Hose", "Pruning Shears", "Raised Garden Bed", "Rain Boots", "Sunscreen", "Sandals",
    ],
    "home_office": [
        "Office Chair", "Standing Desk", "Mechanical Keyboard", "Monitor", "Notebook", "Desk Lamp",
        "Over-Ear Headphones", "E-Reader",
    ],
    "family": [
        "Building Set", "Board Game", "Jigsaw Puzzle", "RC Car", "Sneakers", "Hoodie", "Bed Pillow",
    ],
    "fitness": [
        "Yoga Mat", "Adjustable Dumbbells", "Resistance Bands", "Bike Helmet", "Tennis Racket",
        "Water Bottle", "Smartwatch", "Electric Toothbrush", "Moisturizer",
    ],
}
