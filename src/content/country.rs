//! ISO 3166-1 countries: alpha-2 code, numeric code and English short name, and rough
//! bounding boxes ([`bbox`]) of the countries briefings cover.
//!
//! Takes a code (or a point) and returns what is known of it: pure lookups over constant
//! tables, no I/O and no diagnostics (the validator decides what a miss means). The names
//! were generated once from Debian's iso-codes (LGPL data, facts not copyrightable) and are
//! sorted by code so lookups are a binary search; the boxes are written by hand.

/// (alpha-2, numeric, name), sorted by alpha-2.
pub const COUNTRIES: &[(&str, u16, &str)] = &[
    ("AD", 20, "Andorra"),
    ("AE", 784, "United Arab Emirates"),
    ("AF", 4, "Afghanistan"),
    ("AG", 28, "Antigua and Barbuda"),
    ("AI", 660, "Anguilla"),
    ("AL", 8, "Albania"),
    ("AM", 51, "Armenia"),
    ("AO", 24, "Angola"),
    ("AQ", 10, "Antarctica"),
    ("AR", 32, "Argentina"),
    ("AS", 16, "American Samoa"),
    ("AT", 40, "Austria"),
    ("AU", 36, "Australia"),
    ("AW", 533, "Aruba"),
    ("AX", 248, "Åland Islands"),
    ("AZ", 31, "Azerbaijan"),
    ("BA", 70, "Bosnia and Herzegovina"),
    ("BB", 52, "Barbados"),
    ("BD", 50, "Bangladesh"),
    ("BE", 56, "Belgium"),
    ("BF", 854, "Burkina Faso"),
    ("BG", 100, "Bulgaria"),
    ("BH", 48, "Bahrain"),
    ("BI", 108, "Burundi"),
    ("BJ", 204, "Benin"),
    ("BL", 652, "Saint Barthélemy"),
    ("BM", 60, "Bermuda"),
    ("BN", 96, "Brunei Darussalam"),
    ("BO", 68, "Bolivia"),
    ("BQ", 535, "Bonaire, Sint Eustatius and Saba"),
    ("BR", 76, "Brazil"),
    ("BS", 44, "Bahamas"),
    ("BT", 64, "Bhutan"),
    ("BV", 74, "Bouvet Island"),
    ("BW", 72, "Botswana"),
    ("BY", 112, "Belarus"),
    ("BZ", 84, "Belize"),
    ("CA", 124, "Canada"),
    ("CC", 166, "Cocos (Keeling) Islands"),
    ("CD", 180, "Congo, The Democratic Republic of the"),
    ("CF", 140, "Central African Republic"),
    ("CG", 178, "Congo"),
    ("CH", 756, "Switzerland"),
    ("CI", 384, "Côte d'Ivoire"),
    ("CK", 184, "Cook Islands"),
    ("CL", 152, "Chile"),
    ("CM", 120, "Cameroon"),
    ("CN", 156, "China"),
    ("CO", 170, "Colombia"),
    ("CR", 188, "Costa Rica"),
    ("CU", 192, "Cuba"),
    ("CV", 132, "Cabo Verde"),
    ("CW", 531, "Curaçao"),
    ("CX", 162, "Christmas Island"),
    ("CY", 196, "Cyprus"),
    ("CZ", 203, "Czechia"),
    ("DE", 276, "Germany"),
    ("DJ", 262, "Djibouti"),
    ("DK", 208, "Denmark"),
    ("DM", 212, "Dominica"),
    ("DO", 214, "Dominican Republic"),
    ("DZ", 12, "Algeria"),
    ("EC", 218, "Ecuador"),
    ("EE", 233, "Estonia"),
    ("EG", 818, "Egypt"),
    ("EH", 732, "Western Sahara"),
    ("ER", 232, "Eritrea"),
    ("ES", 724, "Spain"),
    ("ET", 231, "Ethiopia"),
    ("FI", 246, "Finland"),
    ("FJ", 242, "Fiji"),
    ("FK", 238, "Falkland Islands (Malvinas)"),
    ("FM", 583, "Micronesia, Federated States of"),
    ("FO", 234, "Faroe Islands"),
    ("FR", 250, "France"),
    ("GA", 266, "Gabon"),
    ("GB", 826, "United Kingdom"),
    ("GD", 308, "Grenada"),
    ("GE", 268, "Georgia"),
    ("GF", 254, "French Guiana"),
    ("GG", 831, "Guernsey"),
    ("GH", 288, "Ghana"),
    ("GI", 292, "Gibraltar"),
    ("GL", 304, "Greenland"),
    ("GM", 270, "Gambia"),
    ("GN", 324, "Guinea"),
    ("GP", 312, "Guadeloupe"),
    ("GQ", 226, "Equatorial Guinea"),
    ("GR", 300, "Greece"),
    ("GS", 239, "South Georgia and the South Sandwich Islands"),
    ("GT", 320, "Guatemala"),
    ("GU", 316, "Guam"),
    ("GW", 624, "Guinea-Bissau"),
    ("GY", 328, "Guyana"),
    ("HK", 344, "Hong Kong"),
    ("HM", 334, "Heard Island and McDonald Islands"),
    ("HN", 340, "Honduras"),
    ("HR", 191, "Croatia"),
    ("HT", 332, "Haiti"),
    ("HU", 348, "Hungary"),
    ("ID", 360, "Indonesia"),
    ("IE", 372, "Ireland"),
    ("IL", 376, "Israel"),
    ("IM", 833, "Isle of Man"),
    ("IN", 356, "India"),
    ("IO", 86, "British Indian Ocean Territory"),
    ("IQ", 368, "Iraq"),
    ("IR", 364, "Iran"),
    ("IS", 352, "Iceland"),
    ("IT", 380, "Italy"),
    ("JE", 832, "Jersey"),
    ("JM", 388, "Jamaica"),
    ("JO", 400, "Jordan"),
    ("JP", 392, "Japan"),
    ("KE", 404, "Kenya"),
    ("KG", 417, "Kyrgyzstan"),
    ("KH", 116, "Cambodia"),
    ("KI", 296, "Kiribati"),
    ("KM", 174, "Comoros"),
    ("KN", 659, "Saint Kitts and Nevis"),
    ("KP", 408, "North Korea"),
    ("KR", 410, "South Korea"),
    ("KW", 414, "Kuwait"),
    ("KY", 136, "Cayman Islands"),
    ("KZ", 398, "Kazakhstan"),
    ("LA", 418, "Laos"),
    ("LB", 422, "Lebanon"),
    ("LC", 662, "Saint Lucia"),
    ("LI", 438, "Liechtenstein"),
    ("LK", 144, "Sri Lanka"),
    ("LR", 430, "Liberia"),
    ("LS", 426, "Lesotho"),
    ("LT", 440, "Lithuania"),
    ("LU", 442, "Luxembourg"),
    ("LV", 428, "Latvia"),
    ("LY", 434, "Libya"),
    ("MA", 504, "Morocco"),
    ("MC", 492, "Monaco"),
    ("MD", 498, "Moldova"),
    ("ME", 499, "Montenegro"),
    ("MF", 663, "Saint Martin (French part)"),
    ("MG", 450, "Madagascar"),
    ("MH", 584, "Marshall Islands"),
    ("MK", 807, "North Macedonia"),
    ("ML", 466, "Mali"),
    ("MM", 104, "Myanmar"),
    ("MN", 496, "Mongolia"),
    ("MO", 446, "Macao"),
    ("MP", 580, "Northern Mariana Islands"),
    ("MQ", 474, "Martinique"),
    ("MR", 478, "Mauritania"),
    ("MS", 500, "Montserrat"),
    ("MT", 470, "Malta"),
    ("MU", 480, "Mauritius"),
    ("MV", 462, "Maldives"),
    ("MW", 454, "Malawi"),
    ("MX", 484, "Mexico"),
    ("MY", 458, "Malaysia"),
    ("MZ", 508, "Mozambique"),
    ("NA", 516, "Namibia"),
    ("NC", 540, "New Caledonia"),
    ("NE", 562, "Niger"),
    ("NF", 574, "Norfolk Island"),
    ("NG", 566, "Nigeria"),
    ("NI", 558, "Nicaragua"),
    ("NL", 528, "Netherlands"),
    ("NO", 578, "Norway"),
    ("NP", 524, "Nepal"),
    ("NR", 520, "Nauru"),
    ("NU", 570, "Niue"),
    ("NZ", 554, "New Zealand"),
    ("OM", 512, "Oman"),
    ("PA", 591, "Panama"),
    ("PE", 604, "Peru"),
    ("PF", 258, "French Polynesia"),
    ("PG", 598, "Papua New Guinea"),
    ("PH", 608, "Philippines"),
    ("PK", 586, "Pakistan"),
    ("PL", 616, "Poland"),
    ("PM", 666, "Saint Pierre and Miquelon"),
    ("PN", 612, "Pitcairn"),
    ("PR", 630, "Puerto Rico"),
    ("PS", 275, "Palestine, State of"),
    ("PT", 620, "Portugal"),
    ("PW", 585, "Palau"),
    ("PY", 600, "Paraguay"),
    ("QA", 634, "Qatar"),
    ("RE", 638, "Réunion"),
    ("RO", 642, "Romania"),
    ("RS", 688, "Serbia"),
    ("RU", 643, "Russian Federation"),
    ("RW", 646, "Rwanda"),
    ("SA", 682, "Saudi Arabia"),
    ("SB", 90, "Solomon Islands"),
    ("SC", 690, "Seychelles"),
    ("SD", 729, "Sudan"),
    ("SE", 752, "Sweden"),
    ("SG", 702, "Singapore"),
    ("SH", 654, "Saint Helena, Ascension and Tristan da Cunha"),
    ("SI", 705, "Slovenia"),
    ("SJ", 744, "Svalbard and Jan Mayen"),
    ("SK", 703, "Slovakia"),
    ("SL", 694, "Sierra Leone"),
    ("SM", 674, "San Marino"),
    ("SN", 686, "Senegal"),
    ("SO", 706, "Somalia"),
    ("SR", 740, "Suriname"),
    ("SS", 728, "South Sudan"),
    ("ST", 678, "Sao Tome and Principe"),
    ("SV", 222, "El Salvador"),
    ("SX", 534, "Sint Maarten (Dutch part)"),
    ("SY", 760, "Syria"),
    ("SZ", 748, "Eswatini"),
    ("TC", 796, "Turks and Caicos Islands"),
    ("TD", 148, "Chad"),
    ("TF", 260, "French Southern Territories"),
    ("TG", 768, "Togo"),
    ("TH", 764, "Thailand"),
    ("TJ", 762, "Tajikistan"),
    ("TK", 772, "Tokelau"),
    ("TL", 626, "Timor-Leste"),
    ("TM", 795, "Turkmenistan"),
    ("TN", 788, "Tunisia"),
    ("TO", 776, "Tonga"),
    ("TR", 792, "Türkiye"),
    ("TT", 780, "Trinidad and Tobago"),
    ("TV", 798, "Tuvalu"),
    ("TW", 158, "Taiwan"),
    ("TZ", 834, "Tanzania"),
    ("UA", 804, "Ukraine"),
    ("UG", 800, "Uganda"),
    ("UM", 581, "United States Minor Outlying Islands"),
    ("US", 840, "United States"),
    ("UY", 858, "Uruguay"),
    ("UZ", 860, "Uzbekistan"),
    ("VA", 336, "Holy See (Vatican City State)"),
    ("VC", 670, "Saint Vincent and the Grenadines"),
    ("VE", 862, "Venezuela"),
    ("VG", 92, "Virgin Islands, British"),
    ("VI", 850, "Virgin Islands, U.S."),
    ("VN", 704, "Vietnam"),
    ("VU", 548, "Vanuatu"),
    ("WF", 876, "Wallis and Futuna"),
    ("WS", 882, "Samoa"),
    ("YE", 887, "Yemen"),
    ("YT", 175, "Mayotte"),
    ("ZA", 710, "South Africa"),
    ("ZM", 894, "Zambia"),
    ("ZW", 716, "Zimbabwe"),
];

/// Looks up a country by its alpha-2 code (upper case).
pub fn by_code(code: &str) -> Option<(&'static str, u16, &'static str)> {
    COUNTRIES
        .binary_search_by(|c| c.0.cmp(code))
        .ok()
        .map(|i| COUNTRIES[i])
}

/// The English short name of a country code, if the code exists.
pub fn name(code: &str) -> Option<&'static str> {
    by_code(code).map(|c| c.2)
}

/// Rough bounding boxes of the countries of the Sahel, West and North Africa and their
/// neighbours, to catch coordinates that cannot belong to the named country. Generous on
/// purpose (rounded outwards to 0.1°): the check is for gross mistakes, not borders. Used by
/// the validator to warn about coordinates far outside their country.
pub mod bbox {
    /// How far outside its box a point may lie before we warn (coastal islands, rounding).
    pub const TOLERANCE_KM: f64 = 100.0;

    /// A country's box.
    pub struct BBox {
        /// ISO 3166-1 alpha-2.
        pub code: &'static str,
        /// ISO 3166-1 alpha-3, for a "did you mean" when an alpha-3 code is written.
        pub alpha3: &'static str,
        min_lat: f64,
        max_lat: f64,
        min_lon: f64,
        max_lon: f64,
    }

    impl BBox {
        /// Approximate distance in km from the point to the box (0 inside).
        pub fn distance_km(&self, lat: f64, lon: f64) -> f64 {
            let dlat = if lat < self.min_lat {
                self.min_lat - lat
            } else if lat > self.max_lat {
                lat - self.max_lat
            } else {
                0.0
            };
            let dlon = if lon < self.min_lon {
                self.min_lon - lon
            } else if lon > self.max_lon {
                lon - self.max_lon
            } else {
                0.0
            };
            let near_lat = lat.clamp(self.min_lat, self.max_lat);
            let x = dlon * near_lat.to_radians().cos();
            (dlat * dlat + x * x).sqrt() * 111.2
        }
    }

    const fn b(
        code: &'static str,
        alpha3: &'static str,
        min_lat: f64,
        max_lat: f64,
        min_lon: f64,
        max_lon: f64,
    ) -> BBox {
        BBox {
            code,
            alpha3,
            min_lat,
            max_lat,
            min_lon,
            max_lon,
        }
    }

    /// Sorted by alpha-2 code.
    const BOXES: &[BBox] = &[
        b("BF", "BFA", 9.3, 15.1, -5.6, 2.5),
        b("BJ", "BEN", 6.1, 12.5, 0.7, 3.9),
        b("CD", "COD", -13.5, 5.4, 12.2, 31.4),
        b("CF", "CAF", 2.2, 11.1, 14.4, 27.5),
        b("CG", "COG", -5.1, 3.8, 11.1, 18.7),
        b("CI", "CIV", 4.3, 10.8, -8.7, -2.4),
        b("CM", "CMR", 1.6, 13.1, 8.4, 16.2),
        b("CV", "CPV", 14.8, 17.3, -25.4, -22.6),
        b("DZ", "DZA", 18.9, 37.2, -8.7, 12.0),
        b("EG", "EGY", 21.9, 31.7, 24.6, 37.0),
        b("EH", "ESH", 20.7, 27.7, -17.2, -8.6),
        b("ER", "ERI", 12.3, 18.1, 36.4, 43.2),
        b("ET", "ETH", 3.3, 15.0, 32.9, 48.0),
        b("GA", "GAB", -4.0, 2.4, 8.6, 14.6),
        b("GH", "GHA", 4.7, 11.2, -3.3, 1.3),
        b("GM", "GMB", 13.0, 13.9, -16.9, -13.7),
        b("GN", "GIN", 7.1, 12.7, -15.1, -7.6),
        b("GQ", "GNQ", -1.5, 3.8, 5.6, 11.4),
        b("GW", "GNB", 10.8, 12.7, -16.8, -13.6),
        b("KE", "KEN", -4.8, 5.1, 33.9, 42.0),
        b("LR", "LBR", 4.3, 8.6, -11.5, -7.3),
        b("LY", "LBY", 19.5, 33.2, 9.3, 25.2),
        // Morocco's box includes Western Sahara, which many sources code as Morocco.
        b("MA", "MAR", 20.7, 36.0, -17.2, -1.0),
        b("ML", "MLI", 10.1, 25.1, -12.3, 4.3),
        b("MR", "MRT", 14.7, 27.3, -17.1, -4.8),
        b("NE", "NER", 11.6, 23.6, 0.1, 16.0),
        b("NG", "NGA", 4.2, 13.9, 2.6, 14.7),
        b("SD", "SDN", 8.6, 22.3, 21.8, 38.7),
        b("SL", "SLE", 6.9, 10.0, -13.4, -10.2),
        b("SN", "SEN", 12.3, 16.7, -17.6, -11.3),
        b("SO", "SOM", -1.7, 12.0, 40.9, 51.5),
        b("SS", "SSD", 3.4, 12.3, 23.4, 36.0),
        b("TD", "TCD", 7.4, 23.5, 13.4, 24.0),
        b("TG", "TGO", 6.1, 11.2, -0.2, 1.9),
        b("TN", "TUN", 30.2, 37.6, 7.5, 11.6),
    ];

    /// The box of a country, by alpha-2 code.
    pub fn by_code(code: &str) -> Option<&'static BBox> {
        BOXES
            .binary_search_by(|b| b.code.cmp(code))
            .ok()
            .map(|i| &BOXES[i])
    }

    /// The box of a country, by alpha-3 code.
    pub fn by_alpha3(code: &str) -> Option<&'static BBox> {
        BOXES.iter().find(|b| b.alpha3 == code)
    }

    /// A country whose box holds the point, preferring the smallest box.
    pub fn containing(lat: f64, lon: f64) -> Option<&'static str> {
        BOXES
            .iter()
            .filter(|b| b.distance_km(lat, lon) == 0.0)
            .min_by(|a, b| {
                let area = |x: &BBox| (x.max_lat - x.min_lat) * (x.max_lon - x.min_lon);
                area(a).total_cmp(&area(b))
            })
            .map(|b| b.code)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn boxes_are_sorted_known_and_sane() {
            assert!(BOXES.windows(2).all(|w| w[0].code < w[1].code));
            for b in BOXES {
                assert!(
                    crate::content::country::by_code(b.code).is_some(),
                    "{}",
                    b.code
                );
                assert!(b.min_lat < b.max_lat && b.min_lon < b.max_lon, "{}", b.code);
            }
        }

        #[test]
        fn places_fall_in_their_countries() {
            // Bamako, Ouagadougou, Niamey, N'Djamena, Nouakchott, Maiduguri, Timbuktu.
            for (code, lat, lon) in [
                ("ML", 12.65, -8.0),
                ("BF", 12.37, -1.52),
                ("NE", 13.51, 2.11),
                ("TD", 12.13, 15.06),
                ("MR", 18.08, -15.98),
                ("NG", 11.85, 13.16),
                ("ML", 16.77, -3.0),
            ] {
                assert_eq!(by_code(code).unwrap().distance_km(lat, lon), 0.0, "{code}");
            }
            // Paris is far from Mali.
            assert!(by_code("ML").unwrap().distance_km(48.85, 2.35) > 2000.0);
            assert_eq!(containing(12.37, -1.52), Some("BF"));
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_sahel_countries() {
        assert_eq!(super::name("ML"), Some("Mali"));
        assert_eq!(super::by_code("BF").map(|c| c.1), Some(854));
        assert_eq!(super::name("XX"), None);
    }
}
