export { createShopFixture, SHOP_PAIRS, type ShopFixture } from "./shop.js";
